import { dockerSocketGroup, dockerSocketTargets } from './support/paths.js';
import { ownerRule } from './support/permissions.js';

export default ownerRule({
  meta: {
    id: 'DA315',
    alias: 'docker-sock-owner',
    title: 'The Docker socket is owned by root:docker',
    severity: 'high',
    rationale:
      'The Docker socket is the daemon\'s API: whoever can connect to it can start a privileged container and is root on the host. Its owner, group and mode decide who that is.',
    remediation: 'chown root:docker on the socket (or set "group" in daemon.json / SocketGroup= in docker.socket so the daemon creates it that way).',
    references: { cis: ['3.15'], checklist: ['PERM-1'] },
    needs: ['host'],
  },
  extraMessages: {
    noUnixSocket: 'the daemon listens on no unix socket (hosts: {{hosts}})',
  },
  targets: (system, { snapshot }) => dockerSocketTargets(snapshot, system, 'noUnixSocket'),
  expected: (_system, { snapshot }) => ({ user: 'root', groups: [...new Set([dockerSocketGroup(snapshot), 'root'])] }),
});
