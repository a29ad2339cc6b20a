import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA558.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const PULLED = 'sha256:' + '1'.repeat(64);
const BUILT = 'sha256:' + '2'.repeat(64);
const DIGEST = 'sha256:' + 'd'.repeat(64);

const images = () =>
  snap()
    .image({ id: PULLED, repoTags: ['nginx:1.25'], repoDigests: [`nginx@${DIGEST}`] })
    .image({ id: BUILT, repoTags: ['acme/app:dev'], repoDigests: [] });

describe('DA558 container-image-digest', () => {
  it('passes a container whose image carries a repository digest, naming it', () => {
    const findings = runRule(rule, images().container({ name: 'web', image: 'nginx:1.25', imageId: PULLED }).build());
    const web = findingFor(findings, 'web');
    expect(web).toMatchObject({ status: 'pass', messageId: 'digest' });
    expect(web.message).toContain(`nginx@${DIGEST}`);
  });

  it('warns about a locally built, imported or loaded image, naming it and its short id', () => {
    const findings = runRule(rule, images().container({ name: 'app', image: 'acme/app:dev', imageId: BUILT }).build());
    const app = findingFor(findings, 'app');
    expect(app).toMatchObject({ status: 'warn', messageId: 'noDigest' });
    expect(app.message).toContain('acme/app:dev (222222222222)');
  });

  it('notes a container created from a digest reference', () => {
    const findings = runRule(rule, images().container({ name: 'pinned', image: `nginx@${DIGEST}`, imageId: PULLED }).build());
    expect(findingFor(findings, 'pinned')).toMatchObject({ status: 'pass', messageId: 'digestReference' });
  });

  it('is skipped for a container whose image was not collected, never passed', () => {
    const findings = runRule(rule, snap().container({ name: 'orphan', image: 'gone:1', imageId: 'sha256:' + '9'.repeat(64) }).build());
    expect(summary(findings)).toEqual([['orphan', 'skipped', 'imageUnknown']]);
  });

  it('is skipped entirely when images could not be listed', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'web' })
        .with((snapshot) => {
          snapshot.images = { unavailable: true, reason: 'image list timed out' };
        })
        .build(),
    );
    expect(summary(findings)).toEqual([['*', 'skipped', '__skipped']]);
  });
});

describe('DA558 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '  plain:',
      '    image: app@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA558',
        alias: 'container-image-digest',
        title: 'Container images carry a registry digest',
        family: 'container',
        status: 'skipped',
        severity: 'medium',
        references: { cis: [], checklist: ['IMG-2'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 2, column: 3 },
        message: 'image app:1.0 is not in the collected image list, so its digest cannot be checked',
        messageId: 'imageUnknown',
      },
      {
        ruleId: 'DA558',
        alias: 'container-image-digest',
        title: 'Container images carry a registry digest',
        family: 'container',
        status: 'pass',
        severity: 'medium',
        references: { cis: [], checklist: ['IMG-2'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 4, column: 3 },
        message: 'created from the digest reference app@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: the daemon checked the content against that digest',
        messageId: 'digestReference',
      },
    ]);
  });
});
