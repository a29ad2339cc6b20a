import { pathTarget } from './support/paths.js';
import { ROOT_ROOT, ownerRule } from './support/permissions.js';

export default ownerRule({
  meta: {
    id: 'DA319',
    alias: 'etc-default-docker-owner',
    title: '/etc/default/docker is owned by root:root',
    severity: 'medium',
    rationale:
      'On Debian-based systems /etc/default/docker passes environment variables and options to the daemon\'s service. Whoever can write it can change how dockerd starts.',
    remediation: 'chown root:root /etc/default/docker.',
    references: { cis: ['3.19'], checklist: [] },
    needs: ['host'],
  },
  targets: () => pathTarget('/etc/default/docker'),
  expected: ROOT_ROOT,
});
