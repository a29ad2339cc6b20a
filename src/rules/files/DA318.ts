import { defineRule } from '../define.js';
import { daemonJsonPath, pathTarget } from './support/paths.js';
import { modeCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA318',
    alias: 'daemon-json-mode',
    family: 'files',
    title: 'daemon.json has mode 0644 or stricter',
    severity: 'medium',
    rationale:
      'daemon.json holds the daemon\'s configuration: listeners, authorization plugins, user-namespace remapping, registries. Whoever can write it changes the daemon\'s behaviour at the next restart.',
    remediation: 'chmod 644 /etc/docker/daemon.json.',
    references: { cis: ['3.18'], checklist: [] },
    needs: ['host'],
    messages: {
      modeOk: '{{path}} has mode {{mode}}, within {{allowed}}',
      tooOpen: '{{path}} has mode {{mode}}, expected {{allowed}} or stricter (extra: {{extra}})',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
    },
  },
  check: modeCheck({
    targets: (_system, { snapshot }) => pathTarget(daemonJsonPath(snapshot)),
    allowed: 0o644,
    messages: { ok: 'modeOk', wrong: 'tooOpen', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
