import { tlsTargets } from './support/paths.js';
import { modeRule } from './support/permissions.js';

export default modeRule({
  meta: {
    id: 'DA314',
    alias: 'tls-server-key-mode',
    title: 'The TLS server key has mode 0400 or stricter',
    severity: 'high',
    rationale:
      'The server key proves the daemon\'s identity to its TLS clients. Anyone who can read it can impersonate the daemon and intercept the commands and credentials clients send.',
    remediation: 'chmod 400 <tlskey path>.',
    references: { cis: ['3.14'], checklist: [] },
    needs: ['host', 'daemonConfig'],
  },
  extraMessages: {
    notConfigured: 'no {{setting}} is configured and the daemon needs none (tls: {{tls}}, tlsverify: {{tlsverify}})',
  },
  targets: (_system, { snapshot }) => tlsTargets(snapshot, 'tlskey', 'notConfigured'),
  allowed: 0o400,
});
