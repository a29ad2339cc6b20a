import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/engine/config.js';
import { runRules } from '../../src/engine/run.js';
import { escapeControl, escapeControlKeepingLines } from '../../src/escape.js';
import { formatText } from '../../src/report/text.js';
import { loadRules } from '../../src/rules/registry.js';
import { snap } from '../helpers/builder.js';
import { workloadsFromCompose } from '../../src/views/from-compose.js';

const HOSTILE = ['clear\u001b[2J', 'title\u001b]0;pwned\u0007', 'back\rPASS    info     DA000 all good', 'line\nPASS    info     DA000 forged', 'bidi\u202eexe.txt\u2066', 'c1\u009b31m'];

/** Escape sequences the text formatter writes itself: SGR colours only. */
const OWN_COLOURS = /\u001b\[[0-9;]*m/g;
const ANY_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

describe('escapeControl', () => {
  it('shows every control, C1 and bidi character as a visible escape and keeps other text', () => {
    expect(escapeControl('a\u001b[2Jb\r\n\t\u0007\u007f\u009b\u202e\u2069\u2028é漢')).toBe('a\\x1b[2Jb\\r\\n\\t\\x07\\x7f\\x9b\\u202e\\u2069\\u2028é漢');
    expect(escapeControlKeepingLines('one\u001b]0;x\u0007\ntwo')).toBe('one\\x1b]0;x\\x07\ntwo');
  });
});

describe('text report with hostile names', () => {
  const compose = ['services:', ...HOSTILE.slice(0, 4).flatMap((name) => [`  ${JSON.stringify(name)}:`, '    image: app:1', '    privileged: true']), ''].join('\n');
  const builder = snap().daemon({ info: { Name: 'host\u001b[2J\nPASS forged' } });
  for (const name of HOSTILE) builder.container({ name, hostConfig: { Privileged: true } }).image({ repoTags: [`${name}:1`] });
  const snapshot = builder
    .with((s) => {
      s.files = { files: [{ path: 'dir\u001b[2J/compose.yaml', kind: 'compose', content: compose }] };
      s.problems.push({ scope: 'host', subject: 'x\u001b]0;t\u0007', reason: 'unreadable\r\nPASS forged' });
      s.host.hostname = 'host\u001b]0;title\u0007';
    })
    .build();

  it('holds no control character but its own colours, and no forged line', async () => {
    const report = runRules(snapshot, await loadRules(), configSchema.parse({}), { toolVersion: 'test', fileWorkloads: workloadsFromCompose });
    const coloured = formatText(report, { color: true, showPassed: true });
    const plain = formatText(report, { color: false, showPassed: true });
    expect(coloured).toMatch(OWN_COLOURS);
    expect(coloured.replace(OWN_COLOURS, '')).not.toMatch(ANY_CONTROL);
    expect(plain).not.toMatch(ANY_CONTROL);
    expect(plain).not.toContain('\u001b');
    for (const text of [plain, coloured.replace(OWN_COLOURS, '')]) {
      const lines = text.split('\n');
      expect(lines.filter((line) => /^\s*PASS\s+info\s+DA000|^PASS forged/.test(line))).toEqual([]);
    }
    // The names are still there, readable.
    expect(plain).toContain('container clear\\x1b[2J');
    expect(plain).toContain('line\\nPASS    info     DA000 forged');
    expect(plain).toContain('bidi\\u202eexe.txt\\u2066');
    expect(plain).toContain('dir\\x1b[2J/compose.yaml');
  });
});
