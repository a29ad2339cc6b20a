import { defineRule } from '../define.js';
import { pathTarget } from './support/paths.js';
import { ROOT_ROOT, ownerCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA322',
    alias: 'etc-sysconfig-docker-owner',
    family: 'files',
    title: '/etc/sysconfig/docker is owned by root:root',
    severity: 'medium',
    rationale:
      'On Red Hat-based systems /etc/sysconfig/docker passes environment variables and options to the daemon\'s service. Whoever can write it can change how dockerd starts.',
    remediation: 'chown root:root /etc/sysconfig/docker.',
    references: { cis: ['3.22'], checklist: [] },
    needs: ['host'],
    messages: {
      owned: '{{path}} is owned by {{owner}}',
      wrongOwner: '{{path}} is owned by {{owner}}, expected {{expected}}',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
    },
  },
  check: ownerCheck({
    targets: () => pathTarget('/etc/sysconfig/docker'),
    expected: ROOT_ROOT,
    messages: { ok: 'owned', wrong: 'wrongOwner', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
