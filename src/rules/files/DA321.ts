import { defineRule } from '../define.js';
import { pathTarget } from './support/paths.js';
import { modeCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA321',
    alias: 'etc-sysconfig-docker-mode',
    family: 'files',
    title: '/etc/sysconfig/docker has mode 0644 or stricter',
    severity: 'medium',
    rationale:
      'On Red Hat-based systems /etc/sysconfig/docker passes environment variables and options to the daemon\'s service. Whoever can write it can change how dockerd starts.',
    remediation: 'chmod 644 /etc/sysconfig/docker.',
    references: { cis: ['3.21'], checklist: [] },
    needs: ['host'],
    messages: {
      modeOk: '{{path}} has mode {{mode}}, within {{allowed}}',
      tooOpen: '{{path}} has mode {{mode}}, expected {{allowed}} or stricter (extra: {{extra}})',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
    },
  },
  check: modeCheck({
    targets: () => pathTarget('/etc/sysconfig/docker'),
    allowed: 0o644,
    messages: { ok: 'modeOk', wrong: 'tooOpen', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
