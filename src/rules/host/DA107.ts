import { defineRule } from '../define.js';
import { auditRuleCheck, AUDIT_MESSAGES, type AuditTarget } from './support/audit-check.js';

function targets(): AuditTarget[] {
  return [
    { path: '/etc/default/docker', what: "the daemon's environment file", control: '1.1.10' },
    { path: '/etc/sysconfig/docker', what: "the daemon's environment file", control: '1.1.13' },
  ];
}

export default defineRule({
  meta: {
    id: 'DA107',
    alias: 'audit-docker-environment-files',
    family: 'host',
    title: "The daemon's environment files are audited",
    severity: 'medium',
    rationale:
      "/etc/default/docker (Debian family) and /etc/sysconfig/docker (Red Hat family) feed options to dockerd through its unit; a change there changes the daemon's configuration at the next start. An audit rule records it.",
    remediation:
      'Add "-w /etc/default/docker -p wa -k docker" or "-w /etc/sysconfig/docker -p wa -k docker" (whichever exists) to /etc/audit/rules.d/docker.rules, then run "augenrules --load".',
    references: { cis: ['1.1.10', '1.1.13'], checklist: ['MON-5'] },
    needs: ['host'],
    messages: AUDIT_MESSAGES,
  },
  check: auditRuleCheck(targets),
});
