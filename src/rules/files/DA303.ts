import { defineRule } from '../define.js';
import { unitFileTargets } from './support/paths.js';
import { ROOT_ROOT, ownerCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA303',
    alias: 'docker-socket-unit-owner',
    family: 'files',
    title: 'docker.socket unit files are owned by root:root',
    severity: 'medium',
    rationale:
      'The docker.socket unit creates the daemon\'s socket when systemd activates it, with the owner, group and mode the socket gets. Whoever can write it can open the API to another group, another mode or a TCP address.',
    remediation: 'chown root:root <unit file> (and systemctl daemon-reload for unit files).',
    references: { cis: ['3.3'], checklist: ['PERM-6'] },
    needs: ['host'],
    messages: {
      owned: '{{path}} is owned by {{owner}}',
      wrongOwner: '{{path}} is owned by {{owner}}, expected {{expected}}',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
    },
  },
  check: ownerCheck({
    targets: (system) => unitFileTargets(system, 'docker.socket'),
    expected: ROOT_ROOT,
    messages: { ok: 'owned', wrong: 'wrongOwner', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
