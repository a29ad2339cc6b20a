import { defineRule } from '../define.js';
import { pathTarget } from './support/paths.js';
import { modeCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA306',
    alias: 'etc-docker-mode',
    family: 'files',
    title: '/etc/docker has mode 0755 or stricter',
    severity: 'medium',
    rationale:
      '/etc/docker holds daemon.json, the registry certificates and often the daemon\'s TLS files. Whoever owns it or can write to it can replace any of them, and change what the daemon trusts and how it listens.',
    remediation: 'chmod 755 /etc/docker.',
    references: { cis: ['3.6'], checklist: ['PERM-10'] },
    needs: ['host'],
    messages: {
      modeOk: '{{path}} has mode {{mode}}, within {{allowed}}',
      tooOpen: '{{path}} has mode {{mode}}, expected {{allowed}} or stricter (extra: {{extra}})',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
    },
  },
  check: modeCheck({
    targets: () => pathTarget('/etc/docker'),
    allowed: 0o755,
    messages: { ok: 'modeOk', wrong: 'tooOpen', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
