import * as z from '../../zod.js';
import { isUnavailable } from '../../snapshot/types.js';
import { obj, str } from '../../snapshot/api-document.js';
import { defineRule } from '../define.js';
import type { Subject } from '../types.js';

const HOST_SUBJECT: Subject = { kind: 'host', name: 'docker' };
/** States of containers that are not running and hold only disk space and configuration. */
const STOPPED = new Set(['exited', 'created', 'dead']);

export default defineRule({
  meta: {
    id: 'DA602',
    alias: 'inventory-container-sprawl',
    family: 'inventory',
    title: 'Container sprawl is kept in check',
    severity: 'low',
    rationale:
      'Stopped containers keep their writable layer, logs, volumes and configuration (secrets in environment variables included) on the host, and can be restarted by anyone with access to the daemon.',
    remediation: 'Remove containers that are not coming back (docker container prune, after checking the list); run short-lived containers with --rm.',
    references: { cis: ['6.2'], checklist: [] },
    needs: ['containers'],
    messages: {
      sprawl: '{{total}} containers ({{states}}): {{stopped}} stopped, more than {{threshold}}',
      counts: '{{total}} containers ({{states}}): {{stopped}} stopped',
    },
  },
  options: z.object({
    /** More stopped containers than this is reported as a warning. */
    maxStoppedContainers: z._default(z.int().check(z.gte(0)), 25),
  }),
  check: ({ snapshot, options }) => {
    const containers = isUnavailable(snapshot.containers) ? [] : snapshot.containers;
    const byState = new Map<string, number>();
    for (const container of containers) {
      const state = str(obj(container.inspect, 'State'), 'Status') || 'unknown';
      byState.set(state, (byState.get(state) ?? 0) + 1);
    }
    const states = [...byState].sort(([a], [b]) => a.localeCompare(b)).map(([state, count]) => `${count} ${state}`);
    const stopped = [...byState].filter(([state]) => STOPPED.has(state)).reduce((sum, [, count]) => sum + count, 0);
    const data = { total: containers.length, states: states.length > 0 ? states.join(', ') : 'none', stopped, threshold: options.maxStoppedContainers };
    return [
      stopped > options.maxStoppedContainers
        ? { subject: HOST_SUBJECT, status: 'warn', messageId: 'sprawl', data }
        : { subject: HOST_SUBJECT, status: 'info', messageId: 'counts', data },
    ];
  },
});
