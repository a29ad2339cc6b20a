import { defineRule } from '../define.js';
import { containerdSocketTargets } from './support/paths.js';
import { ROOT_ROOT, ownerCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA323',
    alias: 'containerd-sock-owner',
    family: 'files',
    title: 'The containerd socket is owned by root:root',
    severity: 'high',
    rationale:
      'containerd\'s socket drives the runtime beneath Docker: whoever can connect to it can create containers with any privilege, bypassing the Docker API and any authorization plugin on it.',
    remediation: 'chown root:root /run/containerd/containerd.sock.',
    references: { cis: ['3.23'], checklist: [] },
    needs: ['host'],
    messages: {
      owned: '{{path}} is owned by {{owner}}',
      wrongOwner: '{{path}} is owned by {{owner}}, expected {{expected}}',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
    },
  },
  check: ownerCheck({
    targets: (system, { snapshot }) => containerdSocketTargets(snapshot, system),
    expected: ROOT_ROOT,
    messages: { ok: 'owned', wrong: 'wrongOwner', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
