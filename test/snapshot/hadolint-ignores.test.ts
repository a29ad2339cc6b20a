import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesOnlySnapshot } from '../../src/collect/source-files-only.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { runRules } from '../../src/engine/run.js';
import { HADOLINT_EQUIVALENTS, hadolintIgnore } from '../../src/parsers/hadolint.js';
import { loadRules } from '../../src/rules/registry.js';
import sudo from '../../src/rules/dockerfile/DA810.js';

function sudoFindings(path: string, kind: 'dockerfile' | 'compose', content: string) {
  const snapshot = filesOnlySnapshot({ files: [{ path, kind, content }] });
  return runRules(snapshot, [sudo], DEFAULT_CONFIG, { toolVersion: 't' })
    .findings.filter((finding) => finding.status === 'fail')
    .map((finding) => [finding.location?.line, finding.suppressed?.reason, finding.suppressed?.kind]);
}

describe('hadolint inline ignores', () => {
  it('suppress the dockaudit rule that means the same, on the next instruction, as an in-source suppression', () => {
    const content = ['FROM debian:12', '# hadolint ignore=DL3008,DL3004', 'RUN sudo apt-get install -y curl', 'RUN sudo true'].join('\n');
    expect(sudoFindings('Dockerfile', 'dockerfile', content)).toEqual([
      [3, 'hadolint ignore=DL3008,DL3004', 'inSource'],
      [4, undefined, undefined],
    ]);
  });

  it('ignore codes that have no equivalent, and apply a global ignore to the whole file', () => {
    expect(sudoFindings('Dockerfile', 'dockerfile', 'FROM debian:12\n# hadolint ignore=DL3008\nRUN sudo true\n')).toEqual([[3, undefined, undefined]]);
    expect(sudoFindings('Dockerfile', 'dockerfile', '# hadolint global ignore=DL3004\nFROM debian:12\nRUN sudo a\nRUN sudo b\n')).toEqual([
      [3, 'hadolint global ignore=DL3004', 'inSource'],
      [4, 'hadolint global ignore=DL3004', 'inSource'],
    ]);
    expect(hadolintIgnore('# hadolint shell=powershell')).toBeUndefined();
    expect(hadolintIgnore('#hadolint ignore=dl3004')).toEqual({ global: false, rules: ['DA810'], codes: ['DL3004'] });
  });

  it('map only to Dockerfile rules that exist, each documented in docs/hadolint.md', async () => {
    const dockerfileRules = new Set((await loadRules(['dockerfile'])).map((rule) => rule.meta.id));
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'hadolint.md'), 'utf8');
    for (const [code, id] of Object.entries(HADOLINT_EQUIVALENTS)) {
      expect(dockerfileRules.has(id), `${code} -> ${id}`).toBe(true);
      expect(doc).toContain(`| ${code} | [${id}](rules/${id}.md)`);
    }
  });
});
