import { servicePorts, type ServicePort } from '../../views/from-service.js';
import { isUnavailable } from '../../snapshot/types.js';
import { obj, str } from '../../snapshot/api-document.js';
import { defineRule, listOf } from '../define.js';
import { forEachService, forSwarm } from './support/swarm.js';

type NoOptions = Record<string, never>;

/** `8080->80/tcp` as `docker service ls` shows it. */
function describePort(port: ServicePort): string {
  return `${port.publishedPort ?? '(unassigned)'}->${port.targetPort}/${port.protocol}`;
}

/**
 * The cluster management port, which CIS 7.2 audits with netstat. Its listen address lives only
 * in the daemon's swarm state file, not in the API: a person checks it, given the advertised address.
 */
const managementPlane = forSwarm<'managementListen', NoOptions>((_cluster, _swarm, { snapshot }) => {
  const daemon = snapshot.daemon;
  const swarmInfo = isUnavailable(daemon) ? undefined : obj(daemon.info, 'Swarm');
  return { status: 'manual', messageId: 'managementListen', data: { advertised: str(swarmInfo, 'NodeAddr') || 'an address not reported' } };
});

const publishedPorts = forEachService<'ingress' | 'hostMode' | 'noPorts', NoOptions>((service, _spec, { snapshot }) => {
  const ports = servicePorts(service);
  if (ports.length === 0) return { status: 'pass', messageId: 'noPorts' };
  const ingress = ports.filter((port) => port.mode === 'ingress');
  const host = ports.filter((port) => port.mode === 'host');
  if (ingress.length === 0) return { status: 'fail', messageId: 'hostMode', data: { ports: listOf(host.map(describePort)) } };
  return {
    status: 'fail',
    messageId: 'ingress',
    data: {
      ports: listOf(ingress.map(describePort)),
      nodes: isUnavailable(snapshot.swarm) ? 0 : snapshot.swarm.nodes.length,
      hostMode: host.length > 0 ? `; in host mode: ${listOf(host.map(describePort))}` : '',
    },
  };
});

export default defineRule({
  meta: {
    id: 'DA702',
    alias: 'swarm-service-host-interface',
    family: 'swarm',
    title: 'Swarm services do not publish ports on every interface',
    severity: 'medium',
    rationale:
      'A port a service publishes cannot be tied to one address: in ingress mode the routing mesh opens it on every interface of every node of the swarm, in host mode on every interface of each node that runs a task. Whatever network reaches any node reaches the service.',
    remediation:
      'Publish ports only from the services clients must reach and let the others talk over overlay networks. Swarm cannot bind a published port to one address, so filter the ones you keep on each node (DOCKER-USER chain) or publish only a proxy, then record them in the ignore list with the reason; bind the management port to one interface with docker swarm init --listen-addr.',
    references: { cis: ['7.2'], checklist: ['NET-2', 'FW-1'] },
    needs: ['swarm'],
    messages: {
      ingress: 'publishes {{ports}} in ingress mode: the routing mesh listens on every interface of all {{nodes}} nodes of the swarm{{hostMode}}',
      hostMode: 'publishes {{ports}} in host mode: every interface of each node running one of its tasks listens',
      noPorts: 'publishes no port',
      managementListen:
        "the Engine API does not report the address the swarm management port listens on (this manager advertises {{advertised}}): check that `ss -ltn 'sport = :2377'` shows that address, not 0.0.0.0 or [::] (docker swarm init --listen-addr)",
    },
  },
  check: (context) => [...managementPlane(context), ...publishedPorts(context)],
});
