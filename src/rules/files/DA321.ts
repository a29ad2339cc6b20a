import { pathTarget } from './support/paths.js';
import { modeRule } from './support/permissions.js';

export default modeRule({
  meta: {
    id: 'DA321',
    alias: 'etc-sysconfig-docker-mode',
    title: '/etc/sysconfig/docker has mode 0644 or stricter',
    severity: 'medium',
    rationale:
      'On Red Hat-based systems /etc/sysconfig/docker passes environment variables and options to the daemon\'s service. Whoever can write it can change how dockerd starts.',
    remediation: 'chmod 644 /etc/sysconfig/docker.',
    references: { cis: ['3.21'], checklist: [] },
    needs: ['host'],
  },
  targets: () => pathTarget('/etc/sysconfig/docker'),
  allowed: 0o644,
});
