import type { HostSystemFacts } from '../../snapshot/host.js';
import type { Snapshot } from '../../snapshot/types.js';
import { defineRule } from '../define.js';
import { auditRuleCheck, AUDIT_MESSAGES, type AuditTarget } from './support/audit-check.js';
import { unitFilesOf } from './support/host-facts.js';

function targets(_snapshot: Snapshot, system: HostSystemFacts): AuditTarget[] {
  const paths = unitFilesOf(system, 'docker.socket');
  if (paths.length === 0) return [{ absent: 'docker.socket', what: 'the unit', control: '1.1.9' }];
  return paths.map((path) => ({ path, what: path.endsWith('.conf') ? 'the docker.socket drop-in' : 'the docker.socket unit file', control: '1.1.9' }));
}

export default defineRule({
  meta: {
    id: 'DA106',
    alias: 'audit-docker-socket-unit',
    family: 'host',
    title: 'The docker.socket unit files are audited',
    severity: 'medium',
    rationale:
      'docker.socket decides where the API socket is created and who may use it (SocketMode, SocketGroup); a change to it changes who controls the daemon. An audit rule records the change.',
    remediation:
      'Add a watch on the unit file where systemd finds it, e.g. "-w /lib/systemd/system/docker.socket -p wa -k docker", and on its drop-ins if any, then run "augenrules --load".',
    references: { cis: ['1.1.9'], checklist: ['MON-4'] },
    needs: ['host'],
    messages: AUDIT_MESSAGES,
  },
  check: auditRuleCheck(targets),
});
