import { defineRule } from '../define.js';
import { containerdSocketTargets } from './support/paths.js';
import { modeCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA324',
    alias: 'containerd-sock-mode',
    family: 'files',
    title: 'The containerd socket has mode 0660 or stricter',
    severity: 'high',
    rationale:
      'containerd\'s socket drives the runtime beneath Docker: whoever can connect to it can create containers with any privilege, bypassing the Docker API and any authorization plugin on it.',
    remediation: 'chmod 660 /run/containerd/containerd.sock.',
    references: { cis: ['3.24'], checklist: [] },
    needs: ['host'],
    messages: {
      modeOk: '{{path}} has mode {{mode}}, within {{allowed}}',
      tooOpen: '{{path}} has mode {{mode}}, expected {{allowed}} or stricter (extra: {{extra}})',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
    },
  },
  check: modeCheck({
    targets: (system, { snapshot }) => containerdSocketTargets(snapshot, system),
    allowed: 0o660,
    messages: { ok: 'modeOk', wrong: 'tooOpen', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
