import { isUnavailable } from '../../snapshot/types.js';
import { defineRule, listOf } from '../define.js';
import { forHost } from './support/host-subject.js';

/** Packages named in a message; the rest are counted. */
const SHOWN = 15;

export default defineRule({
  meta: {
    id: 'DA152',
    alias: 'host-package-upgrades',
    family: 'host',
    title: 'The host has no pending package upgrades',
    severity: 'medium',
    rationale:
      'Pending upgrades are fixes the distribution has published and the host has not installed: kernel, runc, containerd and library flaws stay exploitable until they are applied.',
    remediation: 'Apply the upgrades (apt-get upgrade, dnf upgrade, zypper update, apk upgrade) and reboot when the kernel or core libraries changed.',
    references: { cis: [], checklist: ['UPD-2'] },
    needs: ['host'],
    messages: {
      upToDate: "{{manager}}'s local package metadata lists no pending upgrade",
      pending: "{{count}} package upgrades are pending according to {{manager}}'s local metadata: {{packages}}",
      notSeen: 'pending upgrades are not visible: {{reason}}',
    },
  },
  check: forHost((system) => {
    const updates = system.packageUpdates;
    if (isUnavailable(updates)) return { status: 'skipped', messageId: 'notSeen', data: { reason: updates.reason } };
    if (updates.pending.length === 0) return { status: 'pass', messageId: 'upToDate', data: { manager: updates.manager } };
    const shown = updates.pending.slice(0, SHOWN);
    const rest = updates.pending.length - shown.length;
    return {
      status: 'fail',
      messageId: 'pending',
      data: {
        manager: updates.manager,
        count: updates.pending.length,
        packages: listOf(shown) + (rest > 0 ? ` and ${rest} more` : ''),
      },
    };
  }),
});
