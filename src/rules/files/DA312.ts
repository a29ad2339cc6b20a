import { tlsTargets } from './support/paths.js';
import { modeRule } from './support/permissions.js';

export default modeRule({
  meta: {
    id: 'DA312',
    alias: 'tls-server-cert-mode',
    title: 'The TLS server certificate has mode 0444 or stricter',
    severity: 'medium',
    rationale:
      'The server certificate is what clients check before sending commands over TCP. Whoever can replace it (with its key) can impersonate the daemon to its clients.',
    remediation: 'chmod 444 <tlscert path>.',
    references: { cis: ['3.12'], checklist: [] },
    needs: ['host', 'daemonConfig'],
  },
  extraMessages: {
    notConfigured: 'no {{setting}} is configured and the daemon needs none (tls: {{tls}}, tlsverify: {{tlsverify}})',
  },
  targets: (_system, { snapshot }) => tlsTargets(snapshot, 'tlscert', 'notConfigured'),
  allowed: 0o444,
});
