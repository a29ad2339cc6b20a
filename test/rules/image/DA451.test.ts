import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA451.js';
import { runRule, summary } from '../../helpers/rule-tester.js';
import { layer, scannedImage, snapWithScans } from './scan-builder.js';

describe('DA451 image-secret-files', () => {
  it('reports each secret file with its layer, never its value, merging name and content matches', () => {
    const image = scannedImage(
      [
        layer({
          key: 'sha256:' + 'a'.repeat(64),
          secrets: [
            { path: 'root/.ssh/id_rsa', kind: 'ssh-private-key' },
            { path: 'root/.ssh/id_rsa', kind: 'private-key', line: 1 },
            { path: 'app/.env', kind: 'dotenv' },
          ],
        }),
      ],
      { names: ['app:1'] },
    );
    const findings = runRule(rule, snapWithScans(image).build());
    expect(summary(findings)).toEqual([
      ['app:1', 'fail', 'secretFile'],
      ['app:1', 'fail', 'secretFile'],
    ]);
    const key = findings.find((finding) => finding.message.includes('/root/.ssh/id_rsa'));
    expect(key).toMatchObject({ severity: 'critical' });
    expect(key?.message).toBe('SSH private key, private key (line 1) in /root/.ssh/id_rsa (layer 1/1 (aaaaaaaaaaaa)); the value is not shown');
    expect(findings.find((finding) => finding.message.includes('/app/.env'))).toMatchObject({ severity: 'high' });
  });

  it('still reports a secret that a later layer deleted, naming both layers', () => {
    const image = scannedImage(
      [
        layer({ key: 'sha256:' + 'b'.repeat(64) }),
        layer({ key: 'sha256:' + 'c'.repeat(64), secrets: [{ path: 'root/.aws/credentials', kind: 'aws-credentials' }] }),
        layer({ key: 'sha256:' + 'd'.repeat(64), whiteouts: ['root/.aws'] }),
      ],
      { names: ['deleted:1'] },
    );
    const [finding] = runRule(rule, snapWithScans(image).build());
    expect(finding).toMatchObject({ status: 'fail', messageId: 'secretDeleted', severity: 'critical' });
    expect(finding?.message).toContain('/root/.aws/credentials (layer 2/3 (cccccccccccc))');
    expect(finding?.message).toContain('deleted in layer 3/3 (dddddddddddd)');
  });

  it('passes an image without secrets, and honours ignorePaths', () => {
    const clean = scannedImage([layer()], { names: ['clean:1'] });
    expect(summary(runRule(rule, snapWithScans(clean).build()))).toEqual([['clean:1', 'pass', 'noSecrets']]);
    const fixture = scannedImage([layer({ secrets: [{ path: 'app/test/key.pem', kind: 'private-key', line: 3 }] })], { names: ['fixture:1'] });
    expect(summary(runRule(rule, snapWithScans(fixture).build(), { ignorePaths: ['/app/test/*'] }))).toEqual([['fixture:1', 'pass', 'noSecrets']]);
  });
});
