import { defineRule, forEachWorkload, listOf, type Verdict } from '../define.js';

/**
 * Capabilities that reach past the container: kernel modules, raw devices and I/O ports, other
 * processes' memory, the host's clock, mounts and namespaces, network configuration, MAC policy,
 * eBPF, kernel logs, reading any file. `ALL` grants every one of them.
 */
const DANGEROUS = new Set([
  'ALL',
  'AUDIT_CONTROL',
  'BPF',
  'CHECKPOINT_RESTORE',
  'DAC_READ_SEARCH',
  'LINUX_IMMUTABLE',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'NET_ADMIN',
  'PERFMON',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_MODULE',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYSLOG',
]);

/** `cap_sys_admin`, `CAP_SYS_ADMIN` and `SYS_ADMIN` are the same capability. */
function normalise(capability: string): string {
  return capability.trim().toUpperCase().replace(/^CAP_/, '');
}

type Messages = 'privileged' | 'dangerousAdded' | 'noDropAll' | 'restricted';

export default defineRule({
  meta: {
    id: 'DA504',
    alias: 'container-capabilities',
    family: 'container',
    title: 'Container capabilities are restricted',
    severity: 'high',
    rationale:
      'Capabilities split root into pieces; the dangerous ones (SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN, DAC_READ_SEARCH, ...) each give a way out of the container or onto the host, and the default set is still wider than most programs need.',
    remediation:
      'Remove the dangerous capabilities from --cap-add (cap_add); start from --cap-drop ALL (cap_drop: [ALL]) and add back only what the program uses, such as NET_BIND_SERVICE.',
    references: { cis: ['5.4'], checklist: ['PERF-5'] },
    needs: ['containers'],
    messages: {
      privileged: 'runs privileged: every capability is granted (see DA505)',
      dangerousAdded: 'adds dangerous capabilities: {{capabilities}} (state: {{state}})',
      noDropAll: 'does not drop ALL capabilities first: keeps the default set{{added}} (dropped: {{dropped}})',
      restricted: 'drops ALL capabilities; adds back: {{added}}',
    },
  },
  check: forEachWorkload((workload) => {
    if (workload.privileged) return { status: 'fail', messageId: 'privileged', key: 'privileged' };
    const added = [...new Set(workload.capAdd.map(normalise))];
    const dropped = [...new Set(workload.capDrop.map(normalise))];
    const dangerous = added.filter((capability) => DANGEROUS.has(capability));
    const verdicts: Verdict<Messages>[] = [];
    if (dangerous.length > 0) {
      verdicts.push({
        status: 'fail',
        messageId: 'dangerousAdded',
        data: { capabilities: listOf(dangerous), state: workload.state ?? 'defined' },
        key: 'cap_add',
      });
    }
    if (!dropped.includes('ALL')) {
      verdicts.push({
        status: 'warn',
        messageId: 'noDropAll',
        data: { added: added.length > 0 ? ` plus ${listOf(added)}` : '', dropped: listOf(dropped) },
        key: 'cap_drop',
        severity: 'low',
      });
    } else if (dangerous.length === 0) {
      verdicts.push({ status: 'pass', messageId: 'restricted', data: { added: listOf(added) } });
    }
    return verdicts;
  }),
});
