import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA528.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const OLD = 'sha256:' + '1'.repeat(64);
const NEW = 'sha256:' + '2'.repeat(64);

describe('DA528 container-image-current', () => {
  it('fails a container whose tag now names another local image, naming both', () => {
    const findings = runRule(
      rule,
      snap()
        .image({ id: NEW, repoTags: ['nginx:latest'] })
        .image({ id: OLD, repoTags: [] })
        .container({ name: 'stale', state: 'exited', image: 'docker.io/library/nginx', imageId: OLD })
        .build(),
    );
    const stale = findingFor(findings, 'stale');
    expect(stale).toMatchObject({ status: 'fail', messageId: 'outdated' });
    expect(stale.message).toContain('111111111111');
    expect(stale.message).toContain('222222222222');
    expect(stale.message).toContain('exited');
  });

  it('passes a container on the current image of its tag', () => {
    const findings = runRule(rule, snap().image({ id: NEW, repoTags: ['registry.local:5000/team/app:2.1'] }).container({ name: 'fresh', image: 'registry.local:5000/team/app:2.1', imageId: NEW }).build());
    expect(findingFor(findings, 'fresh')).toMatchObject({ status: 'pass', messageId: 'current' });
  });

  it('reports references by digest or id as facts, and a vanished tag as a manual check', () => {
    const findings = runRule(
      rule,
      snap()
        .image({ id: NEW, repoTags: ['app:1.0'] })
        .container({ name: 'digest', image: 'app@sha256:' + '2'.repeat(64), imageId: NEW })
        .container({ name: 'byid', image: '222222222222', imageId: NEW })
        .container({ name: 'gone', image: 'app:0.9', imageId: OLD })
        .build(),
    );
    expect(findingFor(findings, 'digest')).toMatchObject({ status: 'info', messageId: 'pinned' });
    expect(findingFor(findings, 'byid')).toMatchObject({ status: 'info', messageId: 'pinned' });
    const gone = findingFor(findings, 'gone');
    expect(gone).toMatchObject({ status: 'manual', messageId: 'tagGone' });
    expect(gone.message).toContain('app:0.9');
  });

  it('is skipped when the images could not be listed', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'x' })
        .with((snapshot) => {
          snapshot.images = { unavailable: true, reason: 'image list failed' };
        })
        .build(),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'skipped', messageId: '__skipped' });
  });
});

describe('DA528 on Compose services', () => {
  it('gives no finding for a Compose service, which has no runtime state to judge', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([]);
  });
});
