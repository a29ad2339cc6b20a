import type { HostSystemFacts } from '../../snapshot/host.js';
import type { Snapshot } from '../../snapshot/types.js';
import { defineRule } from '../define.js';
import { auditRuleCheck, AUDIT_MESSAGES, type AuditTarget } from './support/audit-check.js';
import { unitFilesOf } from './support/host-facts.js';

function targets(_snapshot: Snapshot, system: HostSystemFacts): AuditTarget[] {
  const paths = unitFilesOf(system, 'docker.service');
  if (paths.length === 0) return [{ absent: 'docker.service', what: 'the unit', control: '1.1.7' }];
  return paths.map((path) => ({ path, what: path.endsWith('.conf') ? 'the docker.service drop-in' : 'the docker.service unit file', control: '1.1.7' }));
}

export default defineRule({
  meta: {
    id: 'DA105',
    alias: 'audit-docker-service',
    family: 'host',
    title: 'The docker.service unit files are audited',
    severity: 'medium',
    rationale:
      'docker.service decides how dockerd starts: its command line, environment and limits. A changed unit file or an added drop-in can open the daemon to the network or weaken it at the next restart; an audit rule records the change.',
    remediation:
      'Add a watch on the unit file and its drop-ins where systemd finds them, e.g. "-w /lib/systemd/system/docker.service -p wa -k docker" and "-w /etc/systemd/system/docker.service.d -p wa -k docker", then run "augenrules --load".',
    references: { cis: ['1.1.7'], checklist: ['MON-3'] },
    needs: ['host'],
    messages: AUDIT_MESSAGES,
  },
  check: auditRuleCheck(targets),
});
