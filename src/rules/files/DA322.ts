import { pathTarget } from './support/paths.js';
import { ROOT_ROOT, ownerRule } from './support/permissions.js';

export default ownerRule({
  meta: {
    id: 'DA322',
    alias: 'etc-sysconfig-docker-owner',
    title: '/etc/sysconfig/docker is owned by root:root',
    severity: 'medium',
    rationale:
      'On Red Hat-based systems /etc/sysconfig/docker passes environment variables and options to the daemon\'s service. Whoever can write it can change how dockerd starts.',
    remediation: 'chown root:root /etc/sysconfig/docker.',
    references: { cis: ['3.22'], checklist: [] },
    needs: ['host'],
  },
  targets: () => pathTarget('/etc/sysconfig/docker'),
  expected: ROOT_ROOT,
});
