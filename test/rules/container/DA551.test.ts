import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA551.js';
import { snap } from '../../helpers/builder.js';
import type { Snapshot } from '../../../src/snapshot/types.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const MiB = 1024 * 1024;

describe('DA551 container-swap-limit', () => {
  it('fails a container without a memory limit and one with unlimited swap', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'nolimit' })
        .container({ name: 'unlimited', hostConfig: { Memory: 512 * MiB, MemorySwap: -1 } })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['nolimit', 'fail', 'noMemoryLimit'],
      ['unlimited', 'fail', 'unlimited'],
    ]);
    expect(findingFor(findings, 'unlimited').message).toContain('512 MiB');
  });

  it('says why swap is unlimited when the kernel has no swap-limit support', () => {
    const findings = runRule(
      rule,
      snap().daemon({ info: { SwapLimit: false } }).container({ name: 'dropped', hostConfig: { Memory: 256 * MiB, MemorySwap: -1 } }).build(),
    );
    expect(findingFor(findings, 'dropped')).toMatchObject({ status: 'fail', messageId: 'unlimitedNoSupport' });
  });

  it('passes no swap, bounded swap, and the default of twice the memory limit', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'noswap', hostConfig: { Memory: 512 * MiB, MemorySwap: 512 * MiB } })
        .container({ name: 'bounded', hostConfig: { Memory: 1024 * MiB, MemorySwap: 1536 * MiB } })
        .container({ name: 'stored-default', hostConfig: { Memory: 512 * MiB, MemorySwap: 1024 * MiB } })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['bounded', 'pass', 'bounded'],
      ['noswap', 'pass', 'noSwap'],
      ['stored-default', 'pass', 'bounded'],
    ]);
    expect(findingFor(findings, 'bounded').message).toBe('swap bounded to 512 MiB above the 1 GiB memory limit (memory+swap 1.5 GiB)');
  });

  it('passes a memory-swap left at 0, as a file-defined workload carries it', () => {
    const snapshot: Snapshot = snap().container({ name: 'unset', hostConfig: { Memory: 512 * MiB, MemorySwap: 0 } }).build();
    const finding = findingFor(runRule(rule, snapshot), 'unset');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'defaultDouble' });
    expect(finding.message).toContain('memory+swap 1 GiB');
  });
});

describe('DA551 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    mem_limit: 256m',
      '    memswap_limit: -1',
      '  plain:',
      '    image: app:1.0',
      '    mem_limit: 256m',
      '    memswap_limit: 256m',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA551',
        alias: 'container-swap-limit',
        title: 'Container swap use is bounded',
        family: 'container',
        status: 'fail',
        severity: 'medium',
        references: { cis: [], checklist: ['PERF-2'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 5, column: 5 },
        message: 'swap is unlimited (memory-swap -1) above the 256 MiB memory limit',
        messageId: 'unlimited',
        remediation: 'Set a memory limit and a memory+swap limit (--memory 512m --memory-swap 512m for no swap at all, or a larger --memory-swap for a bounded amount); never --memory-swap -1.',
      },
      {
        ruleId: 'DA551',
        alias: 'container-swap-limit',
        title: 'Container swap use is bounded',
        family: 'container',
        status: 'pass',
        severity: 'medium',
        references: { cis: [], checklist: ['PERF-2'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 6, column: 3 },
        message: 'no swap: memory+swap limit equals the 256 MiB memory limit',
        messageId: 'noSwap',
      },
    ]);
  });
});
