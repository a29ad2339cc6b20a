import { defineRule } from '../define.js';
import { tlsTargets } from './support/paths.js';
import { modeCheck } from './support/permissions.js';

export default defineRule({
  meta: {
    id: 'DA314',
    alias: 'tls-server-key-mode',
    family: 'files',
    title: 'The TLS server key has mode 0400 or stricter',
    severity: 'high',
    rationale:
      'The server key proves the daemon\'s identity to its TLS clients. Anyone who can read it can impersonate the daemon and intercept the commands and credentials clients send.',
    remediation: 'chmod 400 <tlskey path>.',
    references: { cis: ['3.14'], checklist: [] },
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
    targets: (_system, { snapshot }) => tlsTargets(snapshot, 'tlskey', 'notConfigured'),
    allowed: 0o400,
    messages: { ok: 'modeOk', wrong: 'tooOpen', absent: 'notPresent', unseen: 'notSeen' },
  }),
});
