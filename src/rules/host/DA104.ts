import type { HostSystemFacts } from '../../snapshot/host.js';
import type { Snapshot } from '../../snapshot/types.js';
import { defineRule } from '../define.js';
import { auditRuleCheck, AUDIT_MESSAGES, type AuditTarget } from './support/audit-check.js';
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
    messages: AUDIT_MESSAGES,
  },
  check: auditRuleCheck(targets),
});
