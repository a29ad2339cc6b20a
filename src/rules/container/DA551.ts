import { isUnavailable } from '../../snapshot/types.js';
import { formatBytes } from '../shared/format.js';
import { defineRule, forEachWorkload } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA551',
    alias: 'container-swap-limit',
    family: 'container',
    title: 'Container swap use is bounded',
    severity: 'medium',
    rationale:
      'A container whose swap is unbounded can push the whole host into swapping once it outgrows its memory, slowing every other workload; the memory+swap limit caps it.',
    remediation:
      'Set a memory limit and a memory+swap limit (--memory 512m --memory-swap 512m for no swap at all, or a larger --memory-swap for a bounded amount); never --memory-swap -1.',
    references: { cis: [], checklist: ['PERF-2'] },
    needs: ['containers'],
    messages: {
      noMemoryLimit: 'no memory limit: memory and swap use are both unbounded',
      unlimited: 'swap is unlimited (memory-swap -1) above the {{memory}} memory limit',
      unlimitedNoSupport:
        'swap is unlimited (memory-swap -1) above the {{memory}} memory limit: the daemon reports no swap-limit support in the kernel (SwapLimit false), so Docker dropped any swap limit',
      noSwap: 'no swap: memory+swap limit equals the {{memory}} memory limit',
      bounded: 'swap bounded to {{swap}} above the {{memory}} memory limit (memory+swap {{total}})',
      defaultDouble: 'memory-swap unset: Docker bounds swap to the memory limit ({{memory}} of swap, memory+swap {{total}})',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    const { memory, memorySwap } = workload.resources;
    if (memory <= 0) return { status: 'fail', messageId: 'noMemoryLimit', key: 'mem_limit' };
    if (memorySwap === -1) {
      const daemon = snapshot.daemon;
      const noSupport = !isUnavailable(daemon) && daemon.info['SwapLimit'] === false;
      return { status: 'fail', messageId: noSupport ? 'unlimitedNoSupport' : 'unlimited', data: { memory: formatBytes(memory) }, key: 'memswap_limit' };
    }
    // Live containers never show 0 here: the daemon stores 2 × memory at creation. Files can.
    if (memorySwap === 0) return { status: 'pass', messageId: 'defaultDouble', data: { memory: formatBytes(memory), total: formatBytes(memory * 2) } };
    if (memorySwap <= memory) return { status: 'pass', messageId: 'noSwap', data: { memory: formatBytes(memory) } };
    return {
      status: 'pass',
      messageId: 'bounded',
      data: { memory: formatBytes(memory), swap: formatBytes(memorySwap - memory), total: formatBytes(memorySwap) },
    };
  }),
});
