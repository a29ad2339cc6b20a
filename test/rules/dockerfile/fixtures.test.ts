/**
 * Every fixture Dockerfile (outside corpus/) is run through every Dockerfile rule; the findings
 * must be exactly those its inline `# expect:` comments announce, no more, no fewer.
 */
import { describe, expect, it } from 'vitest';
import { actualOf, expectationsOf, FIXTURES, fixtureFiles, loadDockerfileRules, missingFrom, readFixture, runOnContent } from './support/expectations.js';

const files = fixtureFiles(FIXTURES).filter((path) => !path.startsWith('corpus/'));

describe('Dockerfile fixtures', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const path of files) {
    it(path, async () => {
      const content = readFixture(path);
      const findings = runOnContent(await loadDockerfileRules(), path, content);
      const expected = expectationsOf(content);
      const actual = actualOf(findings);
      const describeKey = (key: string): string => {
        const [line, rule] = key.split(':');
        const finding = findings.find((item) => item.ruleId === rule && String(item.location?.line ?? 'file') === line);
        return `${path}:${line} ${rule}${finding ? ` [${finding.status}] ${finding.message}` : ''}`;
      };
      const diff = [
        ...missingFrom(expected.findings, actual.findings).map((key) => `missing  ${describeKey(key)}`),
        ...missingFrom(actual.findings, expected.findings).map((key) => `extra    ${describeKey(key)}`),
        ...missingFrom(expected.suppressed, actual.suppressed).map((key) => `missing suppressed  ${describeKey(key)}`),
        ...missingFrom(actual.suppressed, expected.suppressed).map((key) => `extra suppressed    ${describeKey(key)}`),
      ];
      expect(diff.join('\n'), `findings differ from the expectations in ${path}`).toBe('');
    });
  }
});
