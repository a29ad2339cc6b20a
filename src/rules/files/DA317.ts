import { defineRule } from '../define.js';
import { daemonJsonPath, pathTarget } from './support/paths.js';
import { ROOT_ROOT, ownerCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA317',
    alias: 'daemon-json-owner',
    family: 'files',
    title: 'daemon.json is owned by root:root',
    severity: 'medium',
    rationale:
      'daemon.json holds the daemon\'s configuration: listeners, authorization plugins, user-namespace remapping, registries. Whoever can write it changes the daemon\'s behaviour at the next restart.',
    remediation: 'chown root:root /etc/docker/daemon.json.',
    references: { cis: ['3.17'], checklist: [] },
    needs: ['host'],
    messages: {
      owned: '{{path}} is owned by {{owner}}',
      wrongOwner: '{{path}} is owned by {{owner}}, expected {{expected}}',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
    },
  },
  check: ownerCheck({
    targets: (_system, { snapshot }) => pathTarget(daemonJsonPath(snapshot)),
    expected: ROOT_ROOT,
    messages: { ok: 'owned', wrong: 'wrongOwner', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
