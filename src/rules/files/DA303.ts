import { unitFileTargets } from './support/paths.js';
import { ROOT_ROOT, ownerRule } from './support/permissions.js';

export default ownerRule({
  meta: {
    id: 'DA303',
    alias: 'docker-socket-unit-owner',
    title: 'docker.socket unit files are owned by root:root',
    severity: 'medium',
    rationale:
      'The docker.socket unit creates the daemon\'s socket when systemd activates it, with the owner, group and mode the socket gets. Whoever can write it can open the API to another group, another mode or a TCP address.',
    remediation: 'chown root:root <unit file> (and systemctl daemon-reload for unit files).',
    references: { cis: ['3.3'], checklist: ['PERM-6'] },
    needs: ['host'],
  },
  targets: (system) => unitFileTargets(system, 'docker.socket'),
  expected: ROOT_ROOT,
});
