import type { Snapshot } from '../../snapshot/types.js';
import { defineRule } from '../define.js';
import { auditRuleCheck, AUDIT_MESSAGES, type AuditTarget } from './support/audit-check.js';
import { daemonJsonPath } from './support/host-facts.js';

function targets(snapshot: Snapshot): AuditTarget[] {
  return [{ path: daemonJsonPath(snapshot), what: "the daemon's configuration file", control: '1.1.11' }];
}

export default defineRule({
  meta: {
    id: 'DA108',
    alias: 'audit-daemon-json',
    family: 'host',
    title: 'daemon.json is audited',
    severity: 'medium',
    rationale:
      "daemon.json holds the daemon's security settings (TLS, user namespaces, authorization plugins, logging); an audit rule records who changed them.",
    remediation:
      'Add a watch on the daemon.json dockerd reads, e.g. "-w /etc/docker/daemon.json -p wa -k docker", then run "augenrules --load".',
    references: { cis: ['1.1.11'], checklist: ['MON-6'] },
    needs: ['host'],
    messages: AUDIT_MESSAGES,
  },
  check: auditRuleCheck(targets),
});
