import { defineRule } from '../define.js';
import { auditCheck, type AuditTarget } from './support/audit-check.js';

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
    messages: {
      audited: '{{what}} {{path}} is audited (CIS {{control}}): {{where}}',
      notLoaded: '{{what}} {{path}} has a rule in {{where}} but it is not loaded: auditd is not running or its rules were not reloaded (CIS {{control}})',
      notPersistent: '{{what}} {{path}} is audited only by a loaded rule ({{where}}) that no rule file holds: it is lost at the next reboot (CIS {{control}})',
      notAudited: 'no audit rule records changes to {{what}} {{path}} (CIS {{control}}; {{looked}})',
      notPresent: '{{what}} {{path}} does not exist on this host (CIS {{control}})',
      notVisible: 'whether {{what}} {{path}} is audited cannot be seen (CIS {{control}}): {{reason}}',
      notFound: 'no {{path}} binary was found on this host: not named by the daemon or its unit, nor on the system PATH (CIS {{control}})',
    },
  },
  check: auditCheck(targets, {
    audited: 'audited',
    notLoaded: 'notLoaded',
    notPersistent: 'notPersistent',
    notAudited: 'notAudited',
    notPresent: 'notPresent',
    notVisible: 'notVisible',
    notFound: 'notFound',
  }),
});
