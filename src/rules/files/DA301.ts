import { unitFileTargets } from './support/paths.js';
import { ROOT_ROOT, ownerRule } from './support/permissions.js';

export default ownerRule({
  meta: {
    id: 'DA301',
    alias: 'docker-service-file-owner',
    title: 'docker.service unit files are owned by root:root',
    severity: 'medium',
    rationale:
      'The docker.service unit decides how dockerd starts: its command line, environment and the options it gives the daemon. Whoever can write the unit or one of its drop-ins can add flags (an unauthenticated TCP listener, a different data root) that take effect at the next restart.',
    remediation: 'chown root:root <unit file> (and systemctl daemon-reload for unit files).',
    references: { cis: ['3.1'], checklist: ['PERM-4'] },
    needs: ['host'],
  },
  targets: (system) => unitFileTargets(system, 'docker.service'),
  expected: ROOT_ROOT,
});
