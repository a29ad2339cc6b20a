import { tlsTargets } from './support/paths.js';
import { ROOT_ROOT, ownerRule } from './support/permissions.js';

export default ownerRule({
  meta: {
    id: 'DA309',
    alias: 'tls-ca-cert-owner',
    title: 'The TLS CA certificate is owned by root:root',
    severity: 'high',
    rationale:
      'With --tlsverify, the CA certificate decides which client certificates may drive the daemon over TCP. Whoever can replace it can issue themselves a client certificate and get root on the host through the API.',
    remediation: 'chown root:root <tlscacert path>.',
    references: { cis: ['3.9'], checklist: ['PERM-1'] },
    needs: ['host', 'daemonConfig'],
  },
  extraMessages: {
    notConfigured: 'no {{setting}} is configured and the daemon needs none (tls: {{tls}}, tlsverify: {{tlsverify}})',
  },
  targets: (_system, { snapshot }) => tlsTargets(snapshot, 'tlscacert', 'notConfigured'),
  expected: ROOT_ROOT,
});
