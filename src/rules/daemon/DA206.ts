import { str } from '../../snapshot/api-document.js';
import { defineRule, forDaemon } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA206',
    alias: 'daemon-no-aufs',
    family: 'daemon',
    title: 'The aufs storage driver is not used',
    severity: 'medium',
    rationale:
      'aufs needs an out-of-tree kernel patch, is no longer maintained, has known kernel crashes and security flaws, and was removed from Docker 24; its successor overlay2 is in the mainline kernel.',
    remediation:
      'Move to overlay2: export what must be kept, set "storage-driver": "overlay2" in daemon.json, restart the daemon, and pull or rebuild the images.',
    references: { cis: ['2.6'], checklist: [] },
    needs: ['daemon'],
    messages: {
      aufs: 'the daemon uses the aufs storage driver',
      other: 'the daemon uses the {{driver}} storage driver',
      notReported: 'the daemon does not report its storage driver (no Driver in info)',
    },
  },
  check: forDaemon((daemon) => {
    const driver = str(daemon.info, 'Driver');
    if (driver === '') return { status: 'skipped', messageId: 'notReported' };
    return driver === 'aufs' ? { status: 'fail', messageId: 'aufs' } : { status: 'pass', messageId: 'other', data: { driver } };
  }),
});
