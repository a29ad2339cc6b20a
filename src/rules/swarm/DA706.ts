import * as z from '../../zod.js';
import { obj, str } from '../../snapshot/api-document.js';
import { defineRule } from '../define.js';
import { dateOf, daysBetween, forSwarm } from './support/swarm.js';

export default defineRule({
  meta: {
    id: 'DA706',
    alias: 'swarm-unlock-key-rotation',
    family: 'swarm',
    title: 'The swarm unlock key is rotated periodically',
    severity: 'low',
    rationale:
      'The unlock key decrypts the managers\' Raft data. A key that never changes stays valid in every place it was ever copied to (a password manager export, a ticket, a former administrator\'s notes); rotating it on a schedule limits how long a leaked key is worth anything.',
    remediation:
      'Rotate the key on a schedule with docker swarm unlock-key --rotate, store the new key where the old one was kept, and record the date of each rotation.',
    references: { cis: ['7.6'], checklist: [] },
    needs: ['swarm'],
    messages: {
      noAutolock: 'auto-lock is off, so there is no unlock key to rotate (see DA705)',
      stale: 'the swarm configuration has not changed since {{updated}} ({{days}} days, more than {{maxDays}}): rotating the unlock key changes it, so the key has not been rotated since',
      checkRecords:
        'the swarm configuration last changed on {{updated}} ({{days}} days ago); the API does not say whether that change rotated the unlock key: check the rotation records',
      notSeen: 'skipped: the swarm configuration (GET /swarm) was not collected',
    },
  },
  options: z.object({
    /** Longest acceptable time between two rotations of the unlock key, in days. */
    maxDays: z._default(z.int().check(z.gte(1)), 90),
  }),
  check: forSwarm((cluster, _swarm, { snapshot, options }) => {
    if (cluster === undefined) return { status: 'skipped', messageId: 'notSeen' };
    if (obj(obj(cluster, 'Spec'), 'EncryptionConfig')?.['AutoLockManagers'] !== true) return { status: 'info', messageId: 'noAutolock' };
    // Any update of the cluster object (a key rotation among them) moves UpdatedAt forward: an
    // old UpdatedAt proves there was no rotation since, a recent one proves nothing.
    const updatedAt = str(cluster, 'UpdatedAt');
    const days = daysBetween(updatedAt, snapshot.collectedAt);
    if (days === undefined) return { status: 'manual', messageId: 'checkRecords', data: { updated: updatedAt || 'an unknown date', days: 'unknown' } };
    return days > options.maxDays
      ? { status: 'warn', messageId: 'stale', data: { updated: dateOf(updatedAt), days, maxDays: options.maxDays } }
      : { status: 'manual', messageId: 'checkRecords', data: { updated: dateOf(updatedAt), days } };
  }),
});
