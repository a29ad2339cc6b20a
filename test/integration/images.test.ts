/**
 * Image rules against the images the test bed builds: the plain busybox image, the hardened
 * one (USER and HEALTHCHECK), and one built to be caught (secret in ENV, ADD, update alone).
 * Images are matched by id: an image's display name is one of its tags, and the test bed
 * gives some images several.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../scripts/testbed/docker.mjs';
import { IMAGES, liveAudit, type ReportJson } from './scenario.js';

type Expectation = [ruleId: string, status: string, messageId: string];

const EXPECTED: Partial<Record<keyof typeof IMAGES, Expectation[]>> = {
  busybox: [
    ['DA401', 'fail', 'noUser'],
    ['DA402', 'fail', 'missing'],
    ['DA403', 'pass', 'noUpdateAlone'],
    ['DA404', 'pass', 'noAdd'],
    ['DA405', 'pass', 'clean'],
    ['DA406', 'pass', 'recent'],
    // Built here: no registry, so no repository digest.
    ['DA407', 'warn', 'noOrigin'],
  ],
  hardened: [
    ['DA401', 'pass', 'nonRoot'],
    ['DA402', 'pass', 'defined'],
  ],
  bad: [
    ['DA403', 'warn', 'updateAlone'],
    ['DA404', 'warn', 'addOther'],
    ['DA405', 'fail', 'secrets'],
  ],
};

describe('image rules on the test images', () => {
  let report: ReportJson;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    ({ report } = await liveAudit());
    for (const role of Object.keys(EXPECTED) as (keyof typeof IMAGES)[]) {
      ids.set(role, await docker(['image', 'inspect', '--format', '{{.Id}}', IMAGES[role]]));
    }
  });

  for (const [role, expectations] of Object.entries(EXPECTED) as [keyof typeof IMAGES, Expectation[]][]) {
    for (const [ruleId, status, messageId] of expectations) {
      it(`${IMAGES[role]}: ${ruleId} ${status} (${messageId})`, () => {
        const findings = report.findings.filter(
          (finding) => finding.ruleId === ruleId && finding.subject.kind === 'image' && finding.subject.id === ids.get(role),
        );
        const context = findings.map((finding) => `${finding.status} ${finding.messageId}: ${finding.message}`).join('\n');
        expect(findings.length, context).toBeGreaterThan(0);
        expect(findings.some((finding) => finding.status === status && finding.messageId === messageId), context).toBe(true);
        if (status === 'pass') expect(findings.every((finding) => finding.status === 'pass'), context).toBe(true);
      });
    }
  }

  it('never shows the value of a secret-looking variable', () => {
    const leaked = report.findings.filter((finding) => finding.message.includes('not-a-real-token'));
    expect(leaked.map((finding) => finding.ruleId)).toEqual([]);
  });
});
