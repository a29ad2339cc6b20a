import { defineRule } from '../define.js';
import { certsFileTargets } from './support/paths.js';
import { modeCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA308',
    alias: 'registry-certs-mode',
    family: 'files',
    title: 'Registry certificates have mode 0444 or stricter',
    severity: 'medium',
    rationale:
      'Docker trusts a registry\'s TLS certificate from /etc/docker/certs.d/<registry>/. Whoever can replace a CA file or a client key there can make the daemon accept a rogue registry and pull images it serves.',
    remediation: 'chmod 444 /etc/docker/certs.d/<registry>/* (400 for client keys).',
    references: { cis: ['3.8'], checklist: ['PERM-9'] },
    needs: ['host'],
    messages: {
      modeOk: '{{path}} has mode {{mode}}, within {{allowed}}',
      tooOpen: '{{path}} has mode {{mode}}, expected {{allowed}} or stricter (extra: {{extra}})',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
      noCertificates: '{{path}} holds no certificate file',
    },
  },
  check: modeCheck({
    targets: (system) => certsFileTargets(system, 'noCertificates'),
    allowed: 0o444,
    messages: { ok: 'modeOk', wrong: 'tooOpen', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
