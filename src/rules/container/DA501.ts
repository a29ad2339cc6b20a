import { obj, str } from '../../snapshot/api-document.js';
import { defineRule, forDaemon } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA501',
    alias: 'swarm-mode',
    family: 'container',
    title: 'Swarm mode is enabled only where it is needed',
    severity: 'low',
    rationale:
      'A node in swarm mode opens the cluster management and gossip ports and accepts work from its managers; when no service needs it, that is attack surface for nothing.',
    remediation: 'If this host runs no swarm services, leave the swarm: docker swarm leave (--force on the last manager).',
    references: { cis: ['5.1'], checklist: [] },
    needs: ['daemon'],
    messages: {
      active: 'swarm mode is active on this node ({{role}}, node {{nodeId}}): confirm that it is needed',
      otherState: 'swarm state is {{state}}: the node has joined or is joining a swarm; confirm that it is needed',
      inactive: 'swarm mode is not enabled',
      unknown: 'skipped: the daemon did not report its swarm state',
    },
  },
  check: forDaemon((daemon) => {
    const swarm = obj(daemon.info, 'Swarm');
    const state = str(swarm, 'LocalNodeState');
    if (state === '') return { status: 'skipped', messageId: 'unknown' };
    if (state === 'inactive') return { status: 'pass', messageId: 'inactive' };
    if (state === 'active') {
      const role = swarm?.['ControlAvailable'] === true ? 'manager' : 'worker';
      return { status: 'manual', messageId: 'active', data: { role, nodeId: str(swarm, 'NodeID') || 'unknown' } };
    }
    return { status: 'manual', messageId: 'otherState', data: { state } };
  }),
});
