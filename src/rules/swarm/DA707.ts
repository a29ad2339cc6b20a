import * as z from '../../zod.js';
import { num, obj } from '../../snapshot/api-document.js';
import { defineRule } from '../define.js';
import { DAY_MS, NANOSECONDS_PER_MS, describeDuration, forSwarm } from './support/swarm.js';

/** Swarm's node certificate lifetime when the cluster sets none: 90 days. */
const DEFAULT_EXPIRY_NS = 90 * DAY_MS * NANOSECONDS_PER_MS;

export default defineRule({
  meta: {
    id: 'DA707',
    alias: 'swarm-node-cert-expiry',
    family: 'swarm',
    title: 'Swarm node certificates are short-lived',
    severity: 'low',
    rationale:
      'Each node proves its identity and role with a certificate from the swarm CA, and nodes renew theirs automatically before it expires. The lifetime bounds how long a certificate stolen from a node, or kept by a node that was removed, stays usable against the managers.',
    remediation:
      'Set a lifetime that matches your policy, no longer than the default of 90 days: docker swarm update --cert-expiry 720h (30 days), for example.',
    references: { cis: ['7.7'], checklist: [] },
    needs: ['swarm'],
    messages: {
      withinPolicy: 'node certificates are valid for {{expiry}}{{origin}} and renewed automatically (policy: at most {{maxDays}} days)',
      tooLong: 'node certificates are valid for {{expiry}}, longer than {{maxDays}} days: a stolen node certificate stays usable that long',
      notSeen: 'skipped: the swarm configuration (GET /swarm) was not collected',
    },
  },
  options: z.object({
    /** Longest acceptable node certificate lifetime, in days. */
    maxDays: z._default(z.number().check(z.gte(1)), 90),
  }),
  check: forSwarm((cluster, _swarm, { options }) => {
    if (cluster === undefined) return { status: 'skipped', messageId: 'notSeen' };
    const configured = num(obj(obj(cluster, 'Spec'), 'CAConfig'), 'NodeCertExpiry');
    const expiry = configured > 0 ? configured : DEFAULT_EXPIRY_NS;
    const data = { expiry: describeDuration(expiry), maxDays: options.maxDays };
    return expiry > options.maxDays * DAY_MS * NANOSECONDS_PER_MS
      ? { status: 'warn', messageId: 'tooLong', data }
      : { status: 'pass', messageId: 'withinPolicy', data: { ...data, origin: configured > 0 ? '' : ' (the default)' } };
  }),
});
