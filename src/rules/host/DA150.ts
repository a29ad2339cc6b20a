import { isUnavailable } from '../../snapshot/types.js';
import { defineRule } from '../define.js';
import { judgeOsLifecycle } from '../shared/os-lifecycle.js';
import { forHost } from './support/host-subject.js';

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
    return judgeOsLifecycle(system.osRelease, snapshot.collectedAt);
  }),
});
