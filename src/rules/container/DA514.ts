import { describePorts } from '../shared/format.js';
import { defineRule, forEachWorkload } from '../define.js';

/** Addresses that mean "every interface" (Docker binds both 0.0.0.0 and :: when none is given). */
const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

export default defineRule({
  meta: {
    id: 'DA514',
    alias: 'container-port-host-interface',
    family: 'container',
    title: 'Published ports are bound to a specific host interface',
    severity: 'medium',
    rationale:
      'A port published without an address listens on every interface of the host, public ones included, and Docker opens the firewall for it; binding to one address keeps an internal service internal.',
    remediation:
      'Give the host address in each mapping: -p 127.0.0.1:8080:80 for local use, -p <internal-ip>:8080:80 for one network (ports: ["127.0.0.1:8080:80"]).',
    references: { cis: ['5.14'], checklist: ['NET-2'] },
    needs: ['containers'],
    messages: {
      allInterfaces: 'publishes ports on every host interface: {{ports}} (state: {{state}})',
      specific: 'every published port is bound to a specific address: {{ports}}',
      noPorts: 'publishes no port',
      hostNetwork: 'skipped: the container uses the host network, so it publishes no port and its sockets bind host interfaces directly (see DA510)',
    },
  },
  check: forEachWorkload((workload) => {
    if (workload.namespaces.network === 'host') return { status: 'skipped', messageId: 'hostNetwork' };
    if (workload.ports.length === 0) return { status: 'pass', messageId: 'noPorts' };
    const open = workload.ports.filter((port) => WILDCARDS.has(port.hostIp));
    return open.length > 0
      ? { status: 'fail', messageId: 'allInterfaces', data: { ports: describePorts(open), state: workload.state ?? 'defined' }, key: 'ports' }
      : { status: 'pass', messageId: 'specific', data: { ports: describePorts(workload.ports) } };
  }),
});
