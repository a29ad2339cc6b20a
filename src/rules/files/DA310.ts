import { defineRule } from '../define.js';
import { tlsTargets } from './support/paths.js';
import { modeCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA310',
    alias: 'tls-ca-cert-mode',
    family: 'files',
    title: 'The TLS CA certificate has mode 0444 or stricter',
    severity: 'high',
    rationale:
      'With --tlsverify, the CA certificate decides which client certificates may drive the daemon over TCP. Whoever can replace it can issue themselves a client certificate and get root on the host through the API.',
    remediation: 'chmod 444 <tlscacert path>.',
    references: { cis: ['3.10'], checklist: ['PERM-1'] },
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
    targets: (_system, { snapshot }) => tlsTargets(snapshot, 'tlscacert', 'notConfigured'),
    allowed: 0o444,
    messages: { ok: 'modeOk', wrong: 'tooOpen', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
