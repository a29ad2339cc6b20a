import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { obj, str } from '../../snapshot/api-document.js';
import { defineRule, forEachWorkload } from '../define.js';

/** Whether containers on the default bridge can reach one another, as far as the snapshot tells. */
function bridgeTraffic(snapshot: Snapshot): string {
  if (isUnavailable(snapshot.networks)) return 'inter-container traffic on it not known';
  const bridge = snapshot.networks.find((network) => str(network, 'Name') === 'bridge');
  if (bridge === undefined) return 'inter-container traffic on it not known';
  const icc = str(obj(bridge, 'Options'), 'com.docker.network.bridge.enable_icc');
  return icc === 'false' ? 'inter-container traffic on it is blocked' : 'inter-container traffic on it is allowed';
}

export default defineRule({
  meta: {
    id: 'DA530',
    alias: 'container-default-bridge',
    family: 'container',
    title: 'Containers are not on the default bridge',
    severity: 'low',
    rationale:
      'Every container on the default bridge can reach every other one on any port, with no name resolution to tell them apart; user-defined networks separate applications and let only the containers of one application talk to each other.',
    remediation: 'Create a network per application (docker network create app) and attach its containers with --network app; Compose does this for each project.',
    references: { cis: ['5.30'], checklist: ['PERF-7'] },
    needs: ['containers'],
    messages: {
      defaultBridge: 'is attached to the default bridge network ({{traffic}}; state: {{state}})',
      otherNetworks: 'is not on the default bridge (network mode {{mode}})',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    const mode = workload.namespaces.network || 'default';
    const onBridge = workload.networks.includes('bridge') || mode === 'bridge' || (mode === 'default' && workload.networks.length === 0);
    return onBridge
      ? { status: 'fail', messageId: 'defaultBridge', data: { traffic: bridgeTraffic(snapshot), state: workload.state ?? 'defined' }, key: 'networks' }
      : { status: 'pass', messageId: 'otherNetworks', data: { mode } };
  }),
});
