import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { parseSecurityOptions, type Workload } from '../../views/workload.js';
import { str } from '../../snapshot/api-document.js';
import { containerFactsOf } from '../../views/all-workloads.js';
import { hasSecurityOption } from '../shared/daemon-facts.js';
import { defineRule, forEachWorkload, listOf } from '../define.js';

/** SELinux types that leave a process unconfined. */
const UNCONFINED_TYPES = new Set(['spc_t', 'unconfined_t']);

/** Whether the daemon reports SELinux among its security options; undefined when the daemon was not seen. */
function daemonHasSelinux(snapshot: Snapshot): boolean | undefined {
  return isUnavailable(snapshot.daemon) ? undefined : hasSecurityOption(snapshot.daemon.info, 'selinux');
}

/** The process label the daemon gave a live container ('' when none or for other workloads). */
function processLabel(snapshot: Snapshot, workload: Workload): string {
  return str(containerFactsOf(snapshot, workload)?.inspect, 'ProcessLabel');
}

/** Docker itself adds label=disable to privileged containers and to those sharing the host PID or IPC namespace. */
function disableCause(workload: Workload): string {
  const reasons = [
    ...(workload.privileged ? ['privileged'] : []),
    ...(workload.namespaces.pid === 'host' ? ['pid: host'] : []),
    ...(workload.namespaces.ipc === 'host' ? ['ipc: host'] : []),
  ];
  return reasons.length === 0 ? 'set explicitly' : `added by Docker because of ${listOf(reasons)}`;
}

export default defineRule({
  meta: {
    id: 'DA503',
    alias: 'container-selinux',
    family: 'container',
    title: 'Containers keep their SELinux separation',
    severity: 'high',
    rationale:
      'On an SELinux host each container process runs as container_t with its own MCS categories, which keeps it from host files and from other containers even when it runs as root.',
    remediation:
      'Remove label=disable and label=type:spc_t from --security-opt (security_opt); where a different policy is wanted, set label=type:<confined type> or label=level:<level>.',
    references: { cis: ['5.3'], checklist: ['POL-1'] },
    needs: ['containers'],
    messages: {
      disabled: 'SELinux labelling is disabled (label=disable, {{cause}}; state: {{state}})',
      privileged: 'runs privileged, so Docker gives it no SELinux label (state: {{state}})',
      unconfinedType: 'runs with the unconfined SELinux type {{type}} (state: {{state}})',
      options: 'SELinux options set: {{options}}',
      defaultLabel: 'no SELinux options: the daemon applies its default label {{label}}',
      noSelinux: 'skipped: the daemon host does not run SELinux for containers (no name=selinux in the daemon security options)',
      daemonUnknown: 'skipped: the daemon was not seen, so whether it labels containers with SELinux is unknown',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    const enabled = daemonHasSelinux(snapshot);
    if (enabled === false) return { status: 'skipped', messageId: 'noSelinux' };
    const labels = parseSecurityOptions(workload.securityOpt).selinux;
    const state = workload.state ?? 'defined';
    if (labels.includes('disable')) {
      return { status: 'fail', messageId: 'disabled', data: { cause: disableCause(workload), state }, key: 'security_opt' };
    }
    const type = labels.find((label) => label.startsWith('type:'))?.slice('type:'.length);
    if (type !== undefined && UNCONFINED_TYPES.has(type)) {
      return { status: 'fail', messageId: 'unconfinedType', data: { type, state }, key: 'security_opt' };
    }
    if (enabled === undefined) return { status: 'skipped', messageId: 'daemonUnknown' };
    if (workload.privileged) return { status: 'fail', messageId: 'privileged', data: { state }, key: 'privileged' };
    if (labels.length > 0) return { status: 'pass', messageId: 'options', data: { options: listOf(labels.map((label) => `label=${label}`)) } };
    const label = processLabel(snapshot, workload);
    return { status: 'pass', messageId: 'defaultLabel', data: { label: label || '(container_t with its own categories)' } };
  }),
});
