import { defineRule } from '../define.js';
import { pathTarget } from './support/paths.js';
import { ROOT_ROOT, ownerCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA305',
    alias: 'etc-docker-owner',
    family: 'files',
    title: '/etc/docker is owned by root:root',
    severity: 'medium',
    rationale:
      '/etc/docker holds daemon.json, the registry certificates and often the daemon\'s TLS files. Whoever owns it or can write to it can replace any of them, and change what the daemon trusts and how it listens.',
    remediation: 'chown root:root /etc/docker.',
    references: { cis: ['3.5'], checklist: ['PERM-11'] },
    needs: ['host'],
    messages: {
      owned: '{{path}} is owned by {{owner}}',
      wrongOwner: '{{path}} is owned by {{owner}}, expected {{expected}}',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
    },
  },
  check: ownerCheck({
    targets: () => pathTarget('/etc/docker'),
    expected: ROOT_ROOT,
    messages: { ok: 'owned', wrong: 'wrongOwner', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
