import { daemonJsonPath, pathTarget } from './support/paths.js';
import { modeRule } from './support/permissions.js';

export default modeRule({
  meta: {
    id: 'DA318',
    alias: 'daemon-json-mode',
    title: 'daemon.json has mode 0644 or stricter',
    severity: 'medium',
    rationale:
      'daemon.json holds the daemon\'s configuration: listeners, authorization plugins, user-namespace remapping, registries. Whoever can write it changes the daemon\'s behaviour at the next restart.',
    remediation: 'chmod 644 /etc/docker/daemon.json.',
    references: { cis: ['3.18'], checklist: [] },
    needs: ['host'],
  },
  targets: (_system, { snapshot }) => pathTarget(daemonJsonPath(snapshot)),
  allowed: 0o644,
});
