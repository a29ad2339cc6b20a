import { pathTarget } from './support/paths.js';
import { modeRule } from './support/permissions.js';

export default modeRule({
  meta: {
    id: 'DA306',
    alias: 'etc-docker-mode',
    title: '/etc/docker has mode 0755 or stricter',
    severity: 'medium',
    rationale:
      '/etc/docker holds daemon.json, the registry certificates and often the daemon\'s TLS files. Whoever owns it or can write to it can replace any of them, and change what the daemon trusts and how it listens.',
    remediation: 'chmod 755 /etc/docker.',
    references: { cis: ['3.6'], checklist: ['PERM-10'] },
    needs: ['host'],
  },
  targets: () => pathTarget('/etc/docker'),
  allowed: 0o755,
});
