import { pathTarget } from './support/paths.js';
import { ROOT_ROOT, ownerRule } from './support/permissions.js';

export default ownerRule({
  meta: {
    id: 'DA305',
    alias: 'etc-docker-owner',
    title: '/etc/docker is owned by root:root',
    severity: 'medium',
    rationale:
      '/etc/docker holds daemon.json, the registry certificates and often the daemon\'s TLS files. Whoever owns it or can write to it can replace any of them, and change what the daemon trusts and how it listens.',
    remediation: 'chown root:root /etc/docker.',
    references: { cis: ['3.5'], checklist: ['PERM-11'] },
    needs: ['host'],
  },
  targets: () => pathTarget('/etc/docker'),
  expected: ROOT_ROOT,
});
