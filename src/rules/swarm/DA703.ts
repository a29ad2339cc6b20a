import { servicePorts } from '../../views/from-service.js';
import { isUnavailable } from '../../snapshot/types.js';
import { obj, str } from '../../snapshot/api-document.js';
import { defineRule } from '../define.js';
import { forEachOverlayNetwork, plural } from './support/swarm.js';

export default defineRule({
  meta: {
    id: 'DA703',
    alias: 'swarm-overlay-encrypted',
    family: 'swarm',
    title: 'Overlay networks encrypt the traffic between nodes',
    severity: 'medium',
    rationale:
      "Between nodes, an overlay network carries container traffic in VXLAN packets over the hosts' own network. Unless the network was created encrypted, anyone on the path between two nodes reads and can tamper with what the services say to each other.",
    remediation:
      'Create overlay networks with the encrypted option (docker network create -d overlay --opt encrypted app-net) and move services onto them; the ingress network can be recreated encrypted (docker network rm ingress, then docker network create --ingress -d overlay --opt encrypted ingress) while no service publishes a port.',
    references: { cis: ['7.3'], checklist: ['ONET-1'] },
    needs: ['swarm', 'networks'],
    messages: {
      encrypted: 'overlay network ({{scope}} scope) encrypts traffic between nodes (IPsec)',
      plain: 'overlay network ({{scope}} scope) is not encrypted: traffic between its containers crosses the network between nodes in clear',
      ingressPlain:
        'the ingress network of the routing mesh is not encrypted: requests to ports published in ingress mode travel between nodes in clear ({{publishing}} publishing through it)',
    },
  },
  check: forEachOverlayNetwork((network, { snapshot }) => {
    const scope = str(network, 'Scope') || 'swarm';
    // The overlay driver turns IPsec on when the option is present, whatever its value.
    if (obj(network, 'Options')?.['encrypted'] !== undefined) return { status: 'pass', messageId: 'encrypted', data: { scope } };
    if (network['Ingress'] !== true) return { status: 'fail', messageId: 'plain', data: { scope } };
    // The routing mesh only carries what clients already sent to a published port over the
    // node's own network, and the default ingress is created plain: an advisory, not a failure.
    const services = isUnavailable(snapshot.swarm) ? [] : snapshot.swarm.services;
    const publishing = services.filter((service) => servicePorts(service).some((port) => port.mode === 'ingress')).length;
    return { status: 'warn', messageId: 'ingressPlain', data: { publishing: plural(publishing, 'service') } };
  }),
});
