import { isUnavailable, type DaemonFacts } from '../../snapshot/types.js';
import { type ApiDocument } from '../../views/workload.js';
import { arr, str } from '../../snapshot/api-document.js';
import { defineRule, forEachWorkload } from '../define.js';

/** runc's version from GET /version, '' when the daemon does not report it. */
function runcVersion(daemon: DaemonFacts): string {
  const component = arr(daemon.version, 'Components').find((entry) => str(entry as ApiDocument, 'Name') === 'runc');
  return str(component as ApiDocument | undefined, 'Version').replace(/^v/, '');
}

/** runc ignores kernel memory limits on cgroup v1 too since 1.0.0-rc94. */
function runcIgnoresKernelMemory(version: string): boolean {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:-rc(\d+))?/.exec(version);
  if (!match) return false;
  const [major, minor, patch, rc] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part)));
  if ((major ?? 0) !== 1) return (major ?? 0) > 1;
  if ((minor ?? 0) > 0 || (patch ?? 0) > 0) return true;
  return rc === undefined || rc >= 94;
}

export default defineRule({
  meta: {
    id: 'DA552',
    alias: 'container-kernel-memory',
    family: 'container',
    title: 'Kernel memory limit, where the platform still enforces one',
    severity: 'low',
    rationale:
      'On cgroup v1 with an old runtime, kernel memory (page tables, socket buffers, dentries) could only be capped separately; without a cap one container could exhaust it for the host. Later platforms drop the setting entirely.',
    remediation:
      'On an old cgroup v1 platform set --kernel-memory; better, move to cgroup v2 and a current runc, where kernel memory is counted inside the memory limit (--memory).',
    references: { cis: [], checklist: ['PERF-3'] },
    needs: ['containers', 'daemon'],
    messages: {
      notApplicable: 'not applicable: {{reason}}',
      set: 'kernel memory limited to {{kernelMemory}} bytes (cgroup v1, runc {{runc}})',
      unset:
        'no kernel memory limit on cgroup v1 with runc {{runc}}; note that --kernel-memory is deprecated since Docker 20.10 and ignored from runc 1.0.0-rc94 on',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    const daemon = snapshot.daemon;
    if (isUnavailable(daemon)) return undefined;
    const cgroupVersion = str(daemon.info, 'CgroupVersion') || '1';
    const runc = runcVersion(daemon);
    const kernelMemory = workload.resources.kernelMemory;
    if (cgroupVersion === '2') {
      return {
        status: 'info',
        messageId: 'notApplicable',
        data: {
          reason:
            'the host runs cgroup v2, which has no separate kernel memory limit; kernel memory is charged to the memory limit' +
            (kernelMemory > 0 ? ` (the configured ${kernelMemory} bytes have no effect)` : ''),
        },
      };
    }
    if (runcIgnoresKernelMemory(runc)) {
      return {
        status: 'info',
        messageId: 'notApplicable',
        data: {
          reason:
            `runc ${runc} ignores kernel memory limits (since 1.0.0-rc94, on cgroup v1 too); the setting is deprecated since Docker 20.10` +
            (kernelMemory > 0 ? ` and the configured ${kernelMemory} bytes have no effect` : ''),
        },
      };
    }
    const runcShown = runc || 'unknown version';
    return kernelMemory > 0
      ? { status: 'pass', messageId: 'set', data: { kernelMemory, runc: runcShown } }
      : { status: 'warn', messageId: 'unset', data: { runc: runcShown }, key: 'kernel_memory' };
  }),
});
