import { defineRule } from '../define.js';
import { tlsTargets } from './support/paths.js';
import { ROOT_ROOT, ownerCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA313',
    alias: 'tls-server-key-owner',
    family: 'files',
    title: 'The TLS server key is owned by root:root',
    severity: 'high',
    rationale:
      'The server key proves the daemon\'s identity to its TLS clients. Anyone who can read it can impersonate the daemon and intercept the commands and credentials clients send.',
    remediation: 'chown root:root <tlskey path>.',
    references: { cis: ['3.13'], checklist: [] },
    needs: ['host', 'daemonConfig'],
    messages: {
      owned: '{{path}} is owned by {{owner}}',
      wrongOwner: '{{path}} is owned by {{owner}}, expected {{expected}}',
      notPresent: '{{path}} is not present',
      notSeen: '{{path}} could not be examined: {{reason}}',
      notConfigured: 'no {{setting}} is configured and the daemon needs none (tls: {{tls}}, tlsverify: {{tlsverify}})',
    },
  },
  check: ownerCheck({
    targets: (_system, { snapshot }) => tlsTargets(snapshot, 'tlskey', 'notConfigured'),
    expected: ROOT_ROOT,
    messages: { ok: 'owned', wrong: 'wrongOwner', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
