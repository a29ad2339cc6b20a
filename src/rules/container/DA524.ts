import { isUnavailable } from '../../snapshot/types.js';
import { arr, str } from '../../snapshot/api-document.js';
import { DAEMON_SUBJECT, defineRule, listOf } from '../define.js';

/** `''`, `root`, `0`, `0:0`, `root:staff` ... all run as uid 0. */
function isRootUser(user: string): boolean {
  const name = user.split(':')[0] ?? '';
  return name === '' || name === 'root' || name === '0';
}

/** At most ten names, then how many more: a host may run hundreds of containers. */
function shortList(names: string[]): string {
  return listOf(names.length > 10 ? [...names.slice(0, 10), `${names.length - 10} more`] : names);
}

export default defineRule({
  meta: {
    id: 'DA524',
    alias: 'exec-user-root',
    family: 'container',
    title: 'docker exec is not used with --user=root',
    severity: 'medium',
    rationale:
      'docker exec --user root (or 0) starts a root shell in a container whose application was deliberately run as another user, undoing that separation; the call leaves nothing in the container configuration.',
    remediation:
      'Do not pass --user root or --user 0 to docker exec; run the containers themselves as a non-root user, restrict who may call the exec API and keep audit rules on the docker client.',
    references: { cis: ['5.24'], checklist: [] },
    needs: ['daemon', 'containers'],
    messages: {
      review:
        'past docker exec calls leave no trace in the snapshot: review the audit log of docker commands on the host for exec with --user root or 0 (containers where exec enters as root by default: {{rootByDefault}}; exec sessions open now: {{sessions}})',
    },
  },
  check: ({ snapshot, workloads }) => {
    const sessions = isUnavailable(snapshot.containers)
      ? []
      : snapshot.containers.flatMap((container) => {
          const count = arr(container.inspect, 'ExecIDs').length;
          return count > 0 ? [`${str(container.inspect, 'Name').replace(/^\//, '')} (${count})`] : [];
        });
    const rootByDefault = workloads
      .filter((workload) => workload.kind === 'container' && isRootUser(workload.user))
      .map((workload) => workload.name);
    return [
      {
        subject: DAEMON_SUBJECT,
        status: 'manual',
        messageId: 'review',
        data: { rootByDefault: shortList(rootByDefault), sessions: shortList(sessions) },
      },
    ];
  },
});
