import { obj } from '../../snapshot/api-document.js';
import { defineRule } from '../define.js';
import { forSwarm } from './support/swarm.js';

export default defineRule({
  meta: {
    id: 'DA705',
    alias: 'swarm-autolock',
    family: 'swarm',
    title: 'Swarm managers are in auto-lock mode',
    severity: 'medium',
    rationale:
      'Managers keep the Raft log, which holds the secrets and the cluster configuration, encrypted with a key stored on their own disk. Without auto-lock that key sits next to the data it protects, so a stolen disk or backup of a manager gives away every secret; with auto-lock a restarted manager waits for an unlock key a person supplies.',
    remediation:
      'Turn auto-lock on (docker swarm update --autolock=true, or docker swarm init --autolock), store the unlock key it prints in a password manager, and unlock managers after a restart with docker swarm unlock.',
    references: { cis: ['7.5'], checklist: [] },
    needs: ['swarm'],
    messages: {
      locked: 'auto-lock is on: managers need the unlock key after a restart',
      unlocked: 'auto-lock is off: the key that decrypts the Raft log (and every secret in it) is stored on the disk of each manager',
      notSeen: 'skipped: the swarm configuration (GET /swarm) was not collected',
    },
  },
  check: forSwarm((cluster) => {
    if (cluster === undefined) return { status: 'skipped', messageId: 'notSeen' };
    return obj(obj(cluster, 'Spec'), 'EncryptionConfig')?.['AutoLockManagers'] === true
      ? { status: 'pass', messageId: 'locked' }
      : { status: 'fail', messageId: 'unlocked' };
  }),
});
