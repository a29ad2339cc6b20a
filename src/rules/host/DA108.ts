import type { Snapshot } from '../../snapshot/types.js';
import { defineRule } from '../define.js';
import { auditCheck, type AuditTarget } from './support/audit-check.js';
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
