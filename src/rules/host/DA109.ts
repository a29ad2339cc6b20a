import type { HostSystemFacts } from '../../snapshot/host.js';
import type { Snapshot } from '../../snapshot/types.js';
import { defineRule } from '../define.js';
import { auditRuleCheck, BINARY_AUDIT_MESSAGES, type AuditTarget } from './support/audit-check.js';
import { containerdSocketOf } from './support/host-facts.js';

function targets(snapshot: Snapshot, system: HostSystemFacts): AuditTarget[] {
  return [
    { path: containerdSocketOf(snapshot, system), what: "containerd's socket", control: '1.1.8' },
    { path: '/etc/containerd/config.toml', what: "containerd's configuration", control: '1.1.12' },
    { binary: 'containerd', what: 'the containerd binary', control: '1.1.14' },
    { binary: 'containerd-shim', what: 'the containerd-shim binary', control: '1.1.15' },
    { binary: 'containerd-shim-runc-v1', what: 'the containerd-shim-runc-v1 binary', control: '1.1.16' },
    { binary: 'containerd-shim-runc-v2', what: 'the containerd-shim-runc-v2 binary', control: '1.1.17' },
    { binary: 'runc', what: 'the runc binary', control: '1.1.18' },
  ];
}

export default defineRule({
  meta: {
    id: 'DA109',
    alias: 'audit-container-runtime',
    family: 'host',
    title: 'containerd and runc files are audited',
    severity: 'medium',
    rationale:
      'containerd and runc start every container process as root: whoever replaces one of their binaries, their socket or their configuration runs code in every container and on the host. Audit rules record such changes.',
    remediation:
      'Add a watch for each file where it really is on this host (see the finding), e.g. "-w /usr/bin/containerd -p wa -k docker", "-w /usr/sbin/runc -p wa -k docker", "-w /run/containerd/containerd.sock -p wa -k docker", then run "augenrules --load".',
    references: { cis: ['1.1.8', '1.1.12', '1.1.14', '1.1.15', '1.1.16', '1.1.17', '1.1.18'], checklist: ['MON-7'] },
    needs: ['host'],
    messages: BINARY_AUDIT_MESSAGES,
  },
  check: auditRuleCheck(targets, true),
});
