import { num, obj, str } from '../../snapshot/api-document.js';
import { defineRule, listOf } from '../define.js';
import { forSwarm, nodeName } from './support/swarm.js';

/** VXLAN's registered port, which Swarm uses for the data path unless told otherwise. */
const DEFAULT_DATA_PATH_PORT = 4789;

export default defineRule({
  meta: {
    id: 'DA709',
    alias: 'swarm-data-path-separation',
    family: 'swarm',
    title: 'Swarm management traffic is separated from data traffic',
    severity: 'low',
    rationale:
      'When the control plane (Raft, task dispatch, certificates on TCP 2377) shares an interface with the data plane (container traffic in VXLAN on UDP 4789), a flood of application traffic can starve the managers, and anyone on the application network can reach the management port. Separate interfaces let each be filtered and sized on its own.',
    remediation:
      'Give each node a second interface for container traffic and name it when the node joins: docker swarm init/join --advertise-addr <management address> --data-path-addr <data address>.',
    references: { cis: ['7.9'], checklist: [] },
    needs: ['swarm'],
    messages: {
      facts:
        'management addresses: {{managers}}; node addresses: {{nodes}}; data path on UDP {{dataPort}}. The Engine API does not report the data path address: on each node check that --data-path-addr names another interface than the advertise address',
    },
  },
  check: forSwarm((cluster, swarm) => {
    const managers = swarm.nodes
      .filter((node) => obj(node, 'ManagerStatus') !== undefined)
      .map((node) => `${nodeName(node)} ${str(obj(node, 'ManagerStatus'), 'Addr') || 'unknown'}`);
    const nodes = swarm.nodes.map((node) => `${nodeName(node)} ${str(obj(node, 'Status'), 'Addr') || 'unknown'}`);
    return {
      status: 'manual',
      messageId: 'facts',
      data: { managers: listOf(managers), nodes: listOf(nodes), dataPort: num(cluster, 'DataPathPort') || DEFAULT_DATA_PATH_PORT },
    };
  }),
});
