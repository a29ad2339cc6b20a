import { obj, str } from '../../snapshot/api-document.js';
import { defineRule, forDaemon } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA215',
    alias: 'daemon-live-restore',
    family: 'daemon',
    title: 'Live restore is enabled',
    severity: 'low',
    rationale:
      'With live restore, containers keep running while the daemon is stopped, restarted or upgraded, so a daemon crash or update does not take every service on the host down with it.',
    remediation: 'Set "live-restore": true in daemon.json and reload the daemon (systemctl reload docker).',
    references: { cis: ['2.15'], checklist: ['ANA-3'] },
    needs: ['daemon'],
    messages: {
      enabled: 'live restore is enabled',
      disabled: 'live restore is disabled: stopping or upgrading the daemon stops every container',
      swarm: 'live restore is disabled on this swarm node: it would keep only standalone containers running, swarm tasks are rescheduled by the orchestrator',
      notReported: 'the daemon does not report whether live restore is enabled (no LiveRestoreEnabled in info)',
    },
  },
  check: forDaemon((daemon) => {
    const enabled = daemon.info['LiveRestoreEnabled'];
    if (typeof enabled !== 'boolean') return { status: 'skipped', messageId: 'notReported' };
    if (enabled) return { status: 'pass', messageId: 'enabled' };
    if (str(obj(daemon.info, 'Swarm'), 'LocalNodeState') === 'active') return { status: 'info', messageId: 'swarm' };
    return { status: 'fail', messageId: 'disabled' };
  }),
});
