import { defineRule } from '../define.js';
import { tlsTargets } from './support/paths.js';
import { ROOT_ROOT, ownerCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA311',
    alias: 'tls-server-cert-owner',
    family: 'files',
    title: 'The TLS server certificate is owned by root:root',
    severity: 'medium',
    rationale:
      'The server certificate is what clients check before sending commands over TCP. Whoever can replace it (with its key) can impersonate the daemon to its clients.',
    remediation: 'chown root:root <tlscert path>.',
    references: { cis: ['3.11'], checklist: [] },
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
    targets: (_system, { snapshot }) => tlsTargets(snapshot, 'tlscert', 'notConfigured'),
    expected: ROOT_ROOT,
    messages: { ok: 'owned', wrong: 'wrongOwner', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
