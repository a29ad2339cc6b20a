import { defineRule } from '../define.js';
import { pathTarget } from './support/paths.js';
import { ROOT_ROOT, ownerCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA319',
    alias: 'etc-default-docker-owner',
    family: 'files',
    title: '/etc/default/docker is owned by root:root',
    severity: 'medium',
    rationale:
      'On Debian-based systems /etc/default/docker passes environment variables and options to the daemon\'s service. Whoever can write it can change how dockerd starts.',
    remediation: 'chown root:root /etc/default/docker.',
    references: { cis: ['3.19'], checklist: [] },
    needs: ['host'],
    messages: {
      owned: '{{path}} is owned by {{owner}}',
      wrongOwner: '{{path}} is owned by {{owner}}, expected {{expected}}',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
    },
  },
  check: ownerCheck({
    targets: () => pathTarget('/etc/default/docker'),
    expected: ROOT_ROOT,
    messages: { ok: 'owned', wrong: 'wrongOwner', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
