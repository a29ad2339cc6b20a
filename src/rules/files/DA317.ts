import { daemonJsonPath, pathTarget } from './support/paths.js';
import { ROOT_ROOT, ownerRule } from './support/permissions.js';

export default ownerRule({
  meta: {
    id: 'DA317',
    alias: 'daemon-json-owner',
    title: 'daemon.json is owned by root:root',
    severity: 'medium',
    rationale:
      'daemon.json holds the daemon\'s configuration: listeners, authorization plugins, user-namespace remapping, registries. Whoever can write it changes the daemon\'s behaviour at the next restart.',
    remediation: 'chown root:root /etc/docker/daemon.json.',
    references: { cis: ['3.17'], checklist: [] },
    needs: ['host'],
  },
  targets: (_system, { snapshot }) => pathTarget(daemonJsonPath(snapshot)),
  expected: ROOT_ROOT,
});
