import { certsOwnerTargets } from './support/paths.js';
import { ROOT_ROOT, ownerRule } from './support/permissions.js';

export default ownerRule({
  meta: {
    id: 'DA307',
    alias: 'registry-certs-owner',
    title: 'Registry certificates are owned by root:root',
    severity: 'medium',
    rationale:
      'Docker trusts a registry\'s TLS certificate from /etc/docker/certs.d/<registry>/. Whoever can replace a CA file or a client key there can make the daemon accept a rogue registry and pull images it serves.',
    remediation: 'chown -R root:root /etc/docker/certs.d (the directories as well as the certificate and key files).',
    references: { cis: ['3.7'], checklist: ['PERM-8'] },
    needs: ['host'],
  },
  targets: (system) => certsOwnerTargets(system),
  expected: ROOT_ROOT,
});
