import { tlsTargets } from './support/paths.js';
import { ROOT_ROOT, ownerRule } from './support/permissions.js';

export default ownerRule({
  meta: {
    id: 'DA313',
    alias: 'tls-server-key-owner',
    title: 'The TLS server key is owned by root:root',
    severity: 'high',
    rationale:
      'The server key proves the daemon\'s identity to its TLS clients. Anyone who can read it can impersonate the daemon and intercept the commands and credentials clients send.',
    remediation: 'chown root:root <tlskey path>.',
    references: { cis: ['3.13'], checklist: [] },
    needs: ['host', 'daemonConfig'],
  },
  extraMessages: {
    notConfigured: 'no {{setting}} is configured and the daemon needs none (tls: {{tls}}, tlsverify: {{tlsverify}})',
  },
  targets: (_system, { snapshot }) => tlsTargets(snapshot, 'tlskey', 'notConfigured'),
  expected: ROOT_ROOT,
});
