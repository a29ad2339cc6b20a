import { tlsTargets } from './support/paths.js';
import { modeRule } from './support/permissions.js';

export default modeRule({
  meta: {
    id: 'DA310',
    alias: 'tls-ca-cert-mode',
    title: 'The TLS CA certificate has mode 0444 or stricter',
    severity: 'high',
    rationale:
      'With --tlsverify, the CA certificate decides which client certificates may drive the daemon over TCP. Whoever can replace it can issue themselves a client certificate and get root on the host through the API.',
    remediation: 'chmod 444 <tlscacert path>.',
    references: { cis: ['3.10'], checklist: ['PERM-1'] },
    needs: ['host', 'daemonConfig'],
  },
  extraMessages: {
    notConfigured: 'no {{setting}} is configured and the daemon needs none (tls: {{tls}}, tlsverify: {{tlsverify}})',
  },
  targets: (_system, { snapshot }) => tlsTargets(snapshot, 'tlscacert', 'notConfigured'),
  allowed: 0o444,
});
