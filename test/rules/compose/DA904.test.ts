import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/compose/DA904.js';
import { runRule, summary } from '../../helpers/rule-tester.js';
import { composeSnapshot } from './helpers.js';

describe('DA904 compose-extends', () => {
  it('fails a missing service and a cycle, warns when the file is not analysed, at the extends key', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'compose.yaml': [
          'services:',
          '  a:',
          '    extends: b',
          '  b:',
          '    extends: a',
          '    image: x:1',
          '  c:',
          '    extends: {service: nowhere}',
          '    image: x:1',
          '  d:',
          '    extends: {file: common.yml, service: base}',
          '    image: x:1',
          '',
        ].join('\n'),
      }),
    );
    const byLine = [...findings].sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0));
    expect(byLine.map((finding) => [finding.location?.line, finding.status, finding.messageId])).toEqual([
      [3, 'fail', 'cycle'],
      [5, 'fail', 'cycle'],
      [8, 'fail', 'serviceMissing'],
      [11, 'warn', 'fileNotAvailable'],
    ]);
    expect(byLine[0]?.message).toBe('service a extends itself through a -> b -> a');
    expect(byLine[3]?.message).toContain('common.yml');
  });

  it('merges included files that were analysed and warns about the others, at the include path', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'app/compose.yaml': 'include:\n  - ../infra/db.yaml\n  - path: [missing.yaml]\nservices:\n  web: {image: "a:1", depends_on: [db]}\n',
        'infra/db.yaml': 'services:\n  db: {image: "postgres:16.3"}\n',
      }),
    );
    expect(findings.map((finding) => [finding.subject.name, finding.status, finding.messageId, finding.location?.line])).toEqual([
      ['app/compose.yaml', 'warn', 'includeNotAvailable', 3],
      ['infra/db.yaml', 'pass', 'resolved', undefined],
    ]);
    expect(findings[0]?.message).toBe('the file includes missing.yaml, which is not among the analysed files: its services are not audited');
  });

  it('passes when the extended file is among the analysed files, relative to the extending file', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'app/compose.yaml': 'services:\n  web:\n    extends: {file: ../shared/common.yml, service: base}\n',
        'shared/common.yml': 'services:\n  base:\n    image: nginx:1.27.0\n',
      }),
    );
    expect(summary(findings)).toEqual([
      ['app/compose.yaml', 'pass', 'resolved'],
      ['shared/common.yml', 'pass', 'resolved'],
    ]);
  });
});
