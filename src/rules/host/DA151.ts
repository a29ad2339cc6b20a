import { isUnavailable } from '../../snapshot/types.js';
import { defineRule } from '../define.js';
import { forHost } from './support/host-subject.js';

const MARKER = '/var/run/reboot-required';

export default defineRule({
  meta: {
    id: 'DA151',
    alias: 'host-reboot-pending',
    family: 'host',
    title: 'No reboot is pending after updates',
    severity: 'medium',
    rationale:
      'Updates to the kernel, the C library or OpenSSL only protect the host once it restarts: until then the vulnerable code keeps running, under every container.',
    remediation: 'Reboot the host in a maintenance window (drain or migrate its containers first); consider unattended-upgrades with automatic reboots.',
    references: { cis: [], checklist: ['UPD-2'] },
    needs: ['host'],
    messages: {
      pending: 'a reboot is pending ({{marker}} is present): installed updates are not running yet',
      none: 'no reboot is pending ({{marker}} is absent)',
      noMarker: '{{marker}} is absent, but {{os}} does not always write it: check whether a reboot is due (needrestart, needs-restarting -r, zypper ps)',
    },
  },
  check: forHost((system) => {
    const data = { marker: MARKER };
    if (system.rebootRequired) return { status: 'warn', messageId: 'pending', data };
    // Only Ubuntu writes the marker on every kernel and library update (update-notifier-common);
    // elsewhere its absence proves nothing.
    const osRelease = isUnavailable(system.osRelease) ? {} : system.osRelease;
    const family = `${osRelease['ID'] ?? ''} ${osRelease['ID_LIKE'] ?? ''}`.toLowerCase().split(/\s+/);
    if (family.includes('ubuntu')) return { status: 'pass', messageId: 'none', data };
    return { status: 'info', messageId: 'noMarker', data: { ...data, os: osRelease['PRETTY_NAME'] ?? osRelease['ID'] ?? 'this system' } };
  }),
});
