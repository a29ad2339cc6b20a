import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { parseSecurityOptions } from '../../views/workload.js';
import { strings } from '../../snapshot/api-document.js';
import { defineRule, forEachWorkload } from '../define.js';

/** The daemon's default seccomp profile ('default', 'unconfined' or a path); null when seccomp is absent; undefined when the daemon was not seen. */
function daemonSeccompProfile(snapshot: Snapshot): string | null | undefined {
  if (isUnavailable(snapshot.daemon)) return undefined;
  for (const option of strings(snapshot.daemon.info, 'SecurityOptions')) {
    const fields = option.split(',');
    if (!fields.includes('name=seccomp')) continue;
    return fields.find((field) => field.startsWith('profile='))?.slice('profile='.length) ?? 'default';
  }
  return null;
}

export default defineRule({
  meta: {
    id: 'DA522',
    alias: 'container-seccomp',
    family: 'container',
    title: 'The seccomp profile is not disabled',
    severity: 'high',
    rationale:
      "Docker's default seccomp profile blocks some forty system calls (kernel keyrings, module loading, reboot, new namespaces, ...) that containers do not need and that many kernel exploits start with.",
    remediation:
      'Remove seccomp=unconfined from --security-opt (security_opt) and --privileged; if a program needs one more system call, use a copy of the default profile with that call allowed (--security-opt seccomp=profile.json), or a profile of only the calls it makes (dockaudit slim IMAGE writes one and proves the command still runs under it).',
    references: { cis: ['5.22'], checklist: ['PERF-5'] },
    needs: ['containers'],
    messages: {
      unconfined: 'runs without seccomp filtering (seccomp=unconfined; state: {{state}})',
      privileged: 'runs privileged, so no seccomp profile is applied (state: {{state}})',
      daemonUnconfined: "inherits the daemon's default seccomp profile, which is unconfined (state: {{state}})",
      hostWithoutSeccomp: 'runs without seccomp filtering: the daemon reports no seccomp support (state: {{state}})',
      custom: 'runs under a seccomp profile of its own',
      inherited: 'runs under the daemon seccomp profile {{profile}}',
      notDisabled: "does not disable seccomp (the daemon's default profile was not seen)",
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    const requested = parseSecurityOptions(workload.securityOpt).seccomp;
    const state = workload.state ?? 'defined';
    if (requested === 'unconfined') return { status: 'fail', messageId: 'unconfined', data: { state }, key: 'security_opt' };
    if (workload.privileged) return { status: 'fail', messageId: 'privileged', data: { state }, key: 'privileged' };
    const daemonProfile = daemonSeccompProfile(snapshot);
    if (daemonProfile === null) return { status: 'fail', messageId: 'hostWithoutSeccomp', data: { state } };
    if (requested) return { status: 'pass', messageId: 'custom' };
    if (daemonProfile === undefined) return { status: 'pass', messageId: 'notDisabled' };
    if (daemonProfile === 'unconfined') return { status: 'fail', messageId: 'daemonUnconfined', data: { state } };
    return { status: 'pass', messageId: 'inherited', data: { profile: daemonProfile } };
  }),
});
