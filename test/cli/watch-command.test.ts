/**
 * The lines `dockaudit watch` prints, and its flags.
 */
import { describe, expect, it } from 'vitest';
import { parseStatuses } from '../../src/audit/limits.js';
import { changeJson, changeText } from '../../src/report/watch.js';
import type { WatchChange } from '../../src/audit/index.js';
import type { Finding } from '../../src/engine/report.js';

const change: WatchChange = {
  event: 'new',
  at: '2026-12-07T21:00:00.000Z',
  finding: {
    ruleId: 'DA505',
    alias: 'container-privileged',
    title: 'Containers are not privileged',
    family: 'container',
    status: 'fail',
    severity: 'critical',
    references: { cis: ['5.5'], checklist: [] },
    subject: { kind: 'container', id: 'abc', name: 'evil\u001b[2J\nFORGED' },
    message: 'container runs privileged (state: created)',
    messageId: 'privileged',
  } as Finding,
  trigger: { type: 'container', action: 'create', id: 'abc', timeNano: '1' },
};

describe('watch output', () => {
  it('writes one JSON object per line: event, at, finding, trigger', () => {
    const line = changeJson(change);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['event', 'at', 'finding', 'trigger']);
    expect(parsed['finding']).toEqual(change.finding);
  });

  it('escapes control characters in text lines, so a container name cannot forge a line', () => {
    const line = changeText(change);
    expect(line).toBe('2026-12-07T21:00:00.000Z NEW      fail critical DA505 container evil\\x1b[2J\\nFORGED: container runs privileged (state: created)\n');
  });

  it('reads --status', () => {
    expect(parseStatuses('fail, warn')).toEqual(['fail', 'warn']);
    expect(() => parseStatuses('fail,bad')).toThrow(/--status/);
    expect(() => parseStatuses(',')).toThrow(/--status/);
  });
});
