import { describe, expect, it } from 'vitest';
import { filesOnlySnapshot } from '../../src/collect/source-files-only.js';
import { configSchema } from '../../src/engine/config.js';
import { runRules } from '../../src/engine/run.js';
import { MESSAGE_CHARACTERS, formatLintText, shortMessage } from '../../src/report/lint-text.js';
import sudo from '../../src/rules/dockerfile/DA810.js';
import user from '../../src/rules/dockerfile/DA802.js';

const snapshot = filesOnlySnapshot({
  files: [
    { path: 'b/Dockerfile', kind: 'dockerfile', content: 'FROM debian:12\nRUN sudo true\nUSER app\n' },
    { path: 'a/Dockerfile', kind: 'dockerfile', content: 'FROM debian:12\nRUN sudo make\nRUN sudo make install\n' },
  ],
});
const report = runRules(snapshot, [sudo, user], configSchema.parse({}), { toolVersion: 't' });

describe('lint text', () => {
  it('prints one line per finding, file:line:col severity rule message, each file\'s findings together by line', () => {
    const text = formatLintText(report, { color: false, showPassed: false });
    const lines = text.trimEnd().split('\n');
    const findingLines = lines.filter((line) => /^\S+\/Dockerfile/.test(line));
    // Files in the order the report meets them (worst finding first), each file's findings by line.
    expect(findingLines).toEqual([
      'a/Dockerfile:1:1 high DA802 the final stage sets no USER: the container runs as the user of debian:12, root unless that image sets another',
      'a/Dockerfile:2:1 medium DA810 RUN runs make through sudo',
      'a/Dockerfile:3:1 medium DA810 RUN runs make through sudo',
      'b/Dockerfile:2:1 medium DA810 RUN runs true through sudo',
    ]);
    // Each file once per line, never a second time in the message; a blank line between files.
    for (const line of findingLines) expect(line.split('Dockerfile').length - 1).toBe(1);
    expect(lines[lines.findIndex((line) => line.startsWith('b/')) - 1]).toBe('');
    expect(lines.at(-1)).toMatch(/^2 rules, \d+ findings: /);
  });

  it('cuts a long message and says how much it left out', () => {
    expect(shortMessage('x'.repeat(MESSAGE_CHARACTERS))).toBe('x'.repeat(MESSAGE_CHARACTERS));
    const cut = shortMessage('y'.repeat(7337));
    expect(cut.startsWith('y'.repeat(MESSAGE_CHARACTERS))).toBe(true);
    expect(cut).toContain(`(${7337 - MESSAGE_CHARACTERS} more characters`);
    expect(cut.length).toBeLessThan(MESSAGE_CHARACTERS + 80);
  });
});
