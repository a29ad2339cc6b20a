import { defineRule } from '../define.js';
import { unitFileTargets } from './support/paths.js';
import { ROOT_ROOT, ownerCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA301',
    alias: 'docker-service-file-owner',
    family: 'files',
    title: 'docker.service unit files are owned by root:root',
    severity: 'medium',
    rationale:
      'The docker.service unit decides how dockerd starts: its command line, environment and the options it gives the daemon. Whoever can write the unit or one of its drop-ins can add flags (an unauthenticated TCP listener, a different data root) that take effect at the next restart.',
    remediation: 'chown root:root <unit file> (and systemctl daemon-reload for unit files).',
    references: { cis: ['3.1'], checklist: ['PERM-4'] },
    needs: ['host'],
    messages: {
      owned: '{{path}} is owned by {{owner}}',
      wrongOwner: '{{path}} is owned by {{owner}}, expected {{expected}}',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
    },
  },
  check: ownerCheck({
    targets: (system) => unitFileTargets(system, 'docker.service'),
    expected: ROOT_ROOT,
    messages: { ok: 'owned', wrong: 'wrongOwner', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
