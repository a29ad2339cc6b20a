import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA559.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const DIGEST = 'sha256:' + 'c'.repeat(64);

describe('DA559 container-image-pinned', () => {
  it('fails an untagged reference and the latest tag, registry ports notwithstanding', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'bare', image: 'nginx' })
        .container({ name: 'latest', image: 'nginx:latest' })
        .container({ name: 'registry-port', image: 'registry.local:5000/team/app' })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['bare', 'fail', 'noTag'],
      ['latest', 'fail', 'latest'],
      ['registry-port', 'fail', 'noTag'],
    ]);
    expect(findingFor(findings, 'bare').message).toBe('image nginx has no tag or digest, so it means nginx:latest');
  });

  it('warns about a version tag without a digest, naming the tag', () => {
    const findings = runRule(rule, snap().container({ name: 'tagged', image: 'registry.local:5000/team/app:2.3.1' }).build());
    const tagged = findingFor(findings, 'tagged');
    expect(tagged).toMatchObject({ status: 'warn', messageId: 'tagOnly' });
    expect(tagged.message).toContain('version 2.3.1');
  });

  it('passes tag@digest and a bare digest, even on latest', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'both', image: `nginx:1.25.3@${DIGEST}` })
        .container({ name: 'digest', image: `nginx@${DIGEST}` })
        .container({ name: 'latest-digest', image: `nginx:latest@${DIGEST}` })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['both', 'pass', 'pinned'],
      ['digest', 'pass', 'pinned'],
      ['latest-digest', 'pass', 'pinned'],
    ]);
  });

  it('warns about a container created from a local image id, full or short', () => {
    const id = 'sha256:' + '4f2a'.repeat(16);
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'full', image: id, imageId: id })
        .container({ name: 'short', image: '4f2a4f2a4f2a', imageId: id })
        .container({ name: 'hexname', image: 'deadbeefcafe' })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['hexname', 'fail', 'noTag'],
      ['full', 'warn', 'imageId'],
      ['short', 'warn', 'imageId'],
    ]);
  });

  it('passes a Compose service built from a Dockerfile, named or not, and judges an image it pulls', () => {
    const content = 'services:\n  web:\n    build: .\n  worker:\n    build: ./worker\n    image: acme/worker:1.2\n  cache:\n    image: redis\n';
    const findings = runRule(rule, snap().with((s) => (s.files = { files: [{ path: 'compose.yaml', kind: 'compose', content }] })).build());
    expect(summary(findings)).toEqual([
      ['cache', 'fail', 'noTag'],
      ['web', 'pass', 'built'],
      ['worker', 'pass', 'built'],
    ]);
    expect(findingFor(findings, 'web').message).toBe('image web (built) is built from a Dockerfile: what it pulls is pinned, or not, in its FROM lines (see DA805)');
  });
});

describe('DA559 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app',
      '  plain:',
      '    image: app:1.0@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA559',
        alias: 'container-image-pinned',
        title: 'Container images are referenced by version and digest',
        family: 'container',
        status: 'fail',
        severity: 'medium',
        references: { cis: [], checklist: ['IMG-3'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 3, column: 5 },
        message: 'image app has no tag or digest, so it means app:latest',
        messageId: 'noTag',
        remediation: 'Reference images as name:version@sha256:digest (docker run nginx:1.25.3@sha256:..., image: nginx:1.25.3@sha256:... in Compose).',
      },
      {
        ruleId: 'DA559',
        alias: 'container-image-pinned',
        title: 'Container images are referenced by version and digest',
        family: 'container',
        status: 'pass',
        severity: 'medium',
        references: { cis: [], checklist: ['IMG-3'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 4, column: 3 },
        message: 'image app:1.0@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa is pinned by digest sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        messageId: 'pinned',
      },
    ]);
  });
});
