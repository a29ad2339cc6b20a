import { dockerSocketTargets } from './support/paths.js';
import { modeRule } from './support/permissions.js';

export default modeRule({
  meta: {
    id: 'DA316',
    alias: 'docker-sock-mode',
    title: 'The Docker socket has mode 0660 or stricter',
    severity: 'high',
    rationale:
      'The Docker socket is the daemon\'s API: whoever can connect to it can start a privileged container and is root on the host. Its owner, group and mode decide who that is.',
    remediation: 'chmod 660 on the socket, or set SocketMode=0660 in docker.socket so it is created that way.',
    references: { cis: ['3.16'], checklist: ['PERM-1'] },
    needs: ['host'],
  },
  extraMessages: {
    noUnixSocket: 'the daemon listens on no unix socket (hosts: {{hosts}})',
  },
  targets: (system, { snapshot }) => dockerSocketTargets(snapshot, system, 'noUnixSocket'),
  allowed: 0o660,
});
