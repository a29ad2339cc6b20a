import { isUnavailable } from '../../snapshot/types.js';
import { defineRule } from '../define.js';
import { OS_EOL_TABLE_DATE, ROLLING_RELEASES, lookUpOs, osDisplayName } from './data/os-eol.js';
import { forHost } from './support/host-subject.js';

/** Days before the end of security support from which the finding warns. */
const WARNING_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;

export default defineRule({
  meta: {
    id: 'DA150',
    alias: 'host-os-end-of-life',
    family: 'host',
    title: 'The host operating system still receives security updates',
    severity: 'high',
    rationale:
      'A release past its end of life gets no more security fixes: every kernel or library flaw found afterwards stays open on the machine that runs every container.',
    remediation: 'Upgrade the host to a supported release of its distribution (or buy the vendor\'s extended support and suppress this finding with the reason).',
    references: { cis: ['1.2.1'], checklist: ['UPD-2'] },
    needs: ['host'],
    messages: {
      supported: '{{os}} receives security updates until {{until}} (end-of-life table of {{tableDate}})',
      endingSoon: '{{os}} loses security support on {{until}}, {{days}} days after this snapshot (end-of-life table of {{tableDate}})',
      endOfLife: '{{os}} reached end of life on {{until}}: no more security updates (end-of-life table of {{tableDate}})',
      paidOnly:
        '{{os}} lost free security support on {{until}}; only paid {{paidName}} (until {{paidUntil}}) still delivers fixes, suppress this finding if the host has it (end-of-life table of {{tableDate}})',
      rolling: '{{os}} is a rolling release: it has no end of life and is as current as its packages (see DA152)',
      unknown: '{{os}} (ID {{id}}, VERSION_ID {{version}}) is not in the end-of-life table of {{tableDate}}: check the vendor\'s lifecycle',
      notSeen: 'the operating system release is not visible: {{reason}}',
    },
  },
  check: forHost((system, { snapshot }) => {
    if (isUnavailable(system.osRelease)) return { status: 'skipped', messageId: 'notSeen', data: { reason: system.osRelease.reason } };
    const osRelease = system.osRelease;
    const os = osDisplayName(osRelease);
    const tableDate = OS_EOL_TABLE_DATE;
    if (ROLLING_RELEASES.has((osRelease['ID'] ?? '').toLowerCase())) return { status: 'pass', messageId: 'rolling', data: { os } };
    const { lifecycle } = lookUpOs(osRelease);
    if (lifecycle === undefined) {
      return {
        status: 'manual',
        messageId: 'unknown',
        data: { os, id: osRelease['ID'] ?? 'unset', version: osRelease['VERSION_ID'] ?? 'unset', tableDate },
      };
    }
    // Judged at the moment the facts were collected, so re-auditing an old snapshot gives the same answer.
    const collected = Date.parse(snapshot.collectedAt);
    const until = lifecycle.securityUntil;
    const endOfDay = Date.parse(`${until}T23:59:59.999Z`);
    if (collected > endOfDay) {
      if (lifecycle.paidUntil !== undefined && collected <= Date.parse(`${lifecycle.paidUntil}T23:59:59.999Z`)) {
        return {
          status: 'fail',
          messageId: 'paidOnly',
          data: { os, until, paidName: lifecycle.paidName ?? 'extended support', paidUntil: lifecycle.paidUntil, tableDate },
        };
      }
      return { status: 'fail', messageId: 'endOfLife', data: { os, until, tableDate } };
    }
    const days = Math.floor((endOfDay - collected) / DAY_MS);
    if (days < WARNING_DAYS) return { status: 'warn', messageId: 'endingSoon', data: { os, until, days, tableDate } };
    return { status: 'pass', messageId: 'supported', data: { os, until, tableDate } };
  }),
});
