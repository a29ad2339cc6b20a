import { containerdSocketTargets } from './support/paths.js';
import { modeRule } from './support/permissions.js';

export default modeRule({
  meta: {
    id: 'DA324',
    alias: 'containerd-sock-mode',
    title: 'The containerd socket has mode 0660 or stricter',
    severity: 'high',
    rationale:
      'containerd\'s socket drives the runtime beneath Docker: whoever can connect to it can create containers with any privilege, bypassing the Docker API and any authorization plugin on it.',
    remediation: 'chmod 660 /run/containerd/containerd.sock.',
    references: { cis: ['3.24'], checklist: [] },
    needs: ['host'],
  },
  targets: (system, { snapshot }) => containerdSocketTargets(snapshot, system),
  allowed: 0o660,
});
