import type { HostSystemFacts } from '../../snapshot/host.js';
import type { Snapshot } from '../../snapshot/types.js';
import { defineRule } from '../define.js';
import { auditCheck, type AuditTarget } from './support/audit-check.js';
import { containerdStateDirectoryOf, dataRootOf } from './support/host-facts.js';

function targets(snapshot: Snapshot, system: HostSystemFacts): AuditTarget[] {
  const dataRoot = dataRootOf(snapshot);
  return [
    { path: containerdStateDirectoryOf(snapshot, system), what: "containerd's state directory", control: '1.1.4' },
    typeof dataRoot === 'string'
      ? { path: dataRoot, what: 'the Docker data root', control: '1.1.5' }
      : { unknown: dataRoot.unknown, name: 'data-root', what: 'the Docker data root', control: '1.1.5' },
    { path: '/etc/docker', what: 'the Docker configuration directory', control: '1.1.6' },
  ];
}

export default defineRule({
  meta: {
    id: 'DA104',
    alias: 'audit-docker-directories',
    family: 'host',
    title: 'Docker directories are audited',
    severity: 'medium',
    rationale:
      "The data root holds every image, container and volume, /etc/docker the daemon's configuration and keys, containerd's state directory its live state; audit rules on them record who changed what.",
    remediation:
      'Add watches on the directories where they really are, e.g. "-w /var/lib/docker -p wa -k docker", "-w /etc/docker -p wa -k docker" and "-w /run/containerd -p wa -k docker" in /etc/audit/rules.d/docker.rules, then run "augenrules --load".',
    references: { cis: ['1.1.4', '1.1.5', '1.1.6'], checklist: ['MON-2'] },
    needs: ['host'],
    messages: {
      audited: '{{what}} {{path}} is audited (CIS {{control}}): {{where}}',
      notLoaded: '{{what}} {{path}} has a rule in {{where}} but it is not loaded: auditd is not running or its rules were not reloaded (CIS {{control}})',
      notPersistent: '{{what}} {{path}} is audited only by a loaded rule ({{where}}) that no rule file holds: it is lost at the next reboot (CIS {{control}})',
      notAudited: 'no audit rule records changes to {{what}} {{path}} (CIS {{control}}; {{looked}})',
      notPresent: '{{what}} {{path}} does not exist on this host (CIS {{control}})',
      notVisible: 'whether {{what}} {{path}} is audited cannot be seen (CIS {{control}}): {{reason}}',
    },
  },
  check: auditCheck(targets, {
    audited: 'audited',
    notLoaded: 'notLoaded',
    notPersistent: 'notPersistent',
    notAudited: 'notAudited',
    notPresent: 'notPresent',
    notVisible: 'notVisible',
  }),
});
