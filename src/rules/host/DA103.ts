import { defineRule } from '../define.js';
import { auditRuleCheck, BINARY_AUDIT_MESSAGES, type AuditTarget } from './support/audit-check.js';

function targets(): AuditTarget[] {
  return [{ binary: 'dockerd', what: 'the daemon binary', control: '1.1.3' }];
}

export default defineRule({
  meta: {
    id: 'DA103',
    alias: 'audit-dockerd',
    family: 'host',
    title: 'The Docker daemon binary is audited',
    severity: 'medium',
    rationale:
      'dockerd runs as root and controls every container; an audit rule on its binary leaves a trace when it is replaced or tampered with, which an investigation needs.',
    remediation:
      'Install auditd and add a rule for the binary where it really is, e.g. "-w /usr/sbin/dockerd -p wa -k docker" in /etc/audit/rules.d/docker.rules, then load it with "augenrules --load".',
    references: { cis: ['1.1.3'], checklist: ['MON-1'] },
    needs: ['host'],
    messages: BINARY_AUDIT_MESSAGES,
  },
  check: auditRuleCheck(targets, true),
});
