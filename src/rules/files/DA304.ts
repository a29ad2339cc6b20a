import { unitFileTargets } from './support/paths.js';
import { modeRule } from './support/permissions.js';

export default modeRule({
  meta: {
    id: 'DA304',
    alias: 'docker-socket-unit-mode',
    title: 'docker.socket unit files have mode 0644 or stricter',
    severity: 'medium',
    rationale:
      'The docker.socket unit creates the daemon\'s socket when systemd activates it, with the owner, group and mode the socket gets. Whoever can write it can open the API to another group, another mode or a TCP address.',
    remediation: 'chmod 644 <unit file> (and systemctl daemon-reload for unit files).',
    references: { cis: ['3.4'], checklist: ['PERM-7'] },
    needs: ['host'],
  },
  targets: (system) => unitFileTargets(system, 'docker.socket'),
  allowed: 0o644,
});
