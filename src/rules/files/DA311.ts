import { tlsTargets } from './support/paths.js';
import { ROOT_ROOT, ownerRule } from './support/permissions.js';

export default ownerRule({
  meta: {
    id: 'DA311',
    alias: 'tls-server-cert-owner',
    title: 'The TLS server certificate is owned by root:root',
    severity: 'medium',
    rationale:
      'The server certificate is what clients check before sending commands over TCP. Whoever can replace it (with its key) can impersonate the daemon to its clients.',
    remediation: 'chown root:root <tlscert path>.',
    references: { cis: ['3.11'], checklist: [] },
    needs: ['host', 'daemonConfig'],
  },
  extraMessages: {
    notConfigured: 'no {{setting}} is configured and the daemon needs none (tls: {{tls}}, tlsverify: {{tlsverify}})',
  },
  targets: (_system, { snapshot }) => tlsTargets(snapshot, 'tlscert', 'notConfigured'),
  expected: ROOT_ROOT,
});
