import { unitFileTargets } from './support/paths.js';
import { modeRule } from './support/permissions.js';

export default modeRule({
  meta: {
    id: 'DA302',
    alias: 'docker-service-file-mode',
    title: 'docker.service unit files have mode 0644 or stricter',
    severity: 'medium',
    rationale:
      'The docker.service unit decides how dockerd starts: its command line, environment and the options it gives the daemon. Whoever can write the unit or one of its drop-ins can add flags (an unauthenticated TCP listener, a different data root) that take effect at the next restart.',
    remediation: 'chmod 644 <unit file> (and systemctl daemon-reload for unit files).',
    references: { cis: ['3.2'], checklist: ['PERM-5'] },
    needs: ['host'],
  },
  targets: (system) => unitFileTargets(system, 'docker.service'),
  allowed: 0o644,
});
