import { pathTarget } from './support/paths.js';
import { modeRule } from './support/permissions.js';

export default modeRule({
  meta: {
    id: 'DA320',
    alias: 'etc-default-docker-mode',
    title: '/etc/default/docker has mode 0644 or stricter',
    severity: 'medium',
    rationale:
      'On Debian-based systems /etc/default/docker passes environment variables and options to the daemon\'s service. Whoever can write it can change how dockerd starts.',
    remediation: 'chmod 644 /etc/default/docker.',
    references: { cis: ['3.20'], checklist: [] },
    needs: ['host'],
  },
  targets: () => pathTarget('/etc/default/docker'),
  allowed: 0o644,
});
