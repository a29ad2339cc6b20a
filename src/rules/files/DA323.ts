import { containerdSocketTargets } from './support/paths.js';
import { ROOT_ROOT, ownerRule } from './support/permissions.js';

export default ownerRule({
  meta: {
    id: 'DA323',
    alias: 'containerd-sock-owner',
    title: 'The containerd socket is owned by root:root',
    severity: 'high',
    rationale:
      'containerd\'s socket drives the runtime beneath Docker: whoever can connect to it can create containers with any privilege, bypassing the Docker API and any authorization plugin on it.',
    remediation: 'chown root:root /run/containerd/containerd.sock.',
    references: { cis: ['3.23'], checklist: [] },
    needs: ['host'],
  },
  targets: (system, { snapshot }) => containerdSocketTargets(snapshot, system),
  expected: ROOT_ROOT,
});
