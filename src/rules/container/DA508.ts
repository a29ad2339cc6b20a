import { describePorts } from '../shared/format.js';
import { defineRule, forEachWorkload } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA508',
    alias: 'container-privileged-port',
    family: 'container',
    title: 'Containers do not publish privileged host ports',
    severity: 'low',
    rationale:
      'Host ports below 1024 are reserved for root-run system services (SSH, DNS, HTTP, SMTP); a container that takes one can impersonate such a service, and publishing there hides which process really answers.',
    remediation: 'Publish the container on a host port of 1024 or above (-p 8080:80), or put a reverse proxy in front of it on the host.',
    references: { cis: ['5.8'], checklist: ['NET-3'] },
    needs: ['containers'],
    messages: {
      privilegedPorts: 'publishes privileged host ports: {{ports}} (state: {{state}})',
      none: 'no published host port below 1024 ({{count}} published)',
      hostNetwork: 'skipped: the container uses the host network, so it publishes no port and binds host ports directly (see DA510)',
    },
  },
  check: forEachWorkload((workload) => {
    if (workload.namespaces.network === 'host') return { status: 'skipped', messageId: 'hostNetwork' };
    const privileged = workload.ports.filter((port) => port.hostPort !== undefined && port.hostPort > 0 && port.hostPort < 1024);
    if (privileged.length > 0) {
      return {
        status: 'fail',
        messageId: 'privilegedPorts',
        data: { ports: describePorts(privileged), state: workload.state ?? 'defined' },
        key: 'ports',
      };
    }
    return { status: 'pass', messageId: 'none', data: { count: workload.ports.length } };
  }),
});
