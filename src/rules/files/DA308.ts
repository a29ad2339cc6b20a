import { certsFileTargets } from './support/paths.js';
import { modeRule } from './support/permissions.js';

export default modeRule({
  meta: {
    id: 'DA308',
    alias: 'registry-certs-mode',
    title: 'Registry certificates have mode 0444 or stricter',
    severity: 'medium',
    rationale:
      'Docker trusts a registry\'s TLS certificate from /etc/docker/certs.d/<registry>/. Whoever can replace a CA file or a client key there can make the daemon accept a rogue registry and pull images it serves.',
    remediation: 'chmod 444 /etc/docker/certs.d/<registry>/* (400 for client keys).',
    references: { cis: ['3.8'], checklist: ['PERM-9'] },
    needs: ['host'],
  },
  extraMessages: {
    noCertificates: '{{path}} holds no certificate file',
  },
  targets: (system) => certsFileTargets(system, 'noCertificates'),
  allowed: 0o444,
});
