import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA555.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const policy = (Name: string, MaximumRetryCount = 0) => ({ RestartPolicy: { Name, MaximumRetryCount } });

describe('DA555 container-restart-storm', () => {
  it('warns about containers restarted more than 10 times under an unbounded policy', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'looping', state: 'restarting', restartCount: 42, hostConfig: policy('always') })
        .container({ name: 'flapping', restartCount: 11, hostConfig: policy('unless-stopped') })
        .container({ name: 'retrying', restartCount: 30, hostConfig: policy('on-failure') })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['flapping', 'warn', 'restartStorm'],
      ['looping', 'warn', 'restartStorm'],
      ['retrying', 'warn', 'restartStorm'],
    ]);
    expect(findingFor(findings, 'looping').message).toBe('restarted 42 times under restart policy always (state: restarting, threshold 10)');
    expect(findingFor(findings, 'retrying').message).toContain('on-failure:unlimited');
  });

  it('passes a few restarts, a bounded on-failure policy, and no restart policy', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'steady', restartCount: 10, hostConfig: policy('always') })
        .container({ name: 'bounded', restartCount: 5, hostConfig: policy('on-failure', 5) })
        .container({ name: 'manual', restartCount: 50 })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['bounded', 'pass', 'stable'],
      ['manual', 'pass', 'stable'],
      ['steady', 'pass', 'stable'],
    ]);
    expect(findingFor(findings, 'bounded').message).toContain('on-failure:5');
  });

  it('takes its threshold from the options', () => {
    const snapshot = snap().container({ name: 'app', restartCount: 4, hostConfig: policy('always') }).build();
    expect(summary(runRule(rule, snapshot))).toEqual([['app', 'pass', 'stable']]);
    expect(summary(runRule(rule, snapshot, { maxRestarts: 3 }))).toEqual([['app', 'warn', 'restartStorm']]);
    expect(() => runRule(rule, snapshot, { maxRestarts: -1 })).toThrow(/DA555/);
  });
});

describe('DA555 on Compose services', () => {
  it('gives no finding for a Compose service, which has no runtime state to judge', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    restart: always',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([]);
  });
});
