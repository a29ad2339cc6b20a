import { defineRule } from '../define.js';
import { tlsTargets } from './support/paths.js';
import { modeCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA312',
    alias: 'tls-server-cert-mode',
    family: 'files',
    title: 'The TLS server certificate has mode 0444 or stricter',
    severity: 'medium',
    rationale:
      'The server certificate is what clients check before sending commands over TCP. Whoever can replace it (with its key) can impersonate the daemon to its clients.',
    remediation: 'chmod 444 <tlscert path>.',
    references: { cis: ['3.12'], checklist: [] },
    needs: ['host', 'daemonConfig'],
    messages: {
      modeOk: '{{path}} has mode {{mode}}, within {{allowed}}',
      tooOpen: '{{path}} has mode {{mode}}, expected {{allowed}} or stricter (extra: {{extra}})',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
      notConfigured: 'no {{setting}} is configured and the daemon needs none (tls: {{tls}}, tlsverify: {{tlsverify}})',
    },
  },
  check: modeCheck({
    targets: (_system, { snapshot }) => tlsTargets(snapshot, 'tlscert', 'notConfigured'),
    allowed: 0o444,
    messages: { ok: 'modeOk', wrong: 'tooOpen', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
