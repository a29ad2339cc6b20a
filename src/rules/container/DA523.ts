import { isUnavailable } from '../../snapshot/types.js';
import { arr, str } from '../../snapshot/api-document.js';
import { DAEMON_SUBJECT, defineRule, listOf } from '../define.js';

/** At most ten names, then how many more: a host may run hundreds of containers. */
function shortList(names: string[]): string {
  return listOf(names.length > 10 ? [...names.slice(0, 10), `${names.length - 10} more`] : names);
}

export default defineRule({
  meta: {
    id: 'DA523',
    alias: 'exec-privileged',
    family: 'container',
    title: 'docker exec is not used with --privileged',
    severity: 'medium',
    rationale:
      'docker exec --privileged gives the new process every capability and no confinement, even in a container that was started unprivileged; nothing in the container configuration shows it afterwards.',
    remediation:
      'Do not pass --privileged to docker exec; restrict who may call the exec API (an authorization plugin) and keep audit rules on the docker client so each use is recorded.',
    references: { cis: ['5.23'], checklist: [] },
    needs: ['daemon', 'containers'],
    messages: {
      review:
        'past docker exec calls leave no trace in the snapshot: review the audit log of docker commands on the host for exec with --privileged (exec sessions open now: {{sessions}})',
    },
  },
  check: ({ snapshot }) => {
    const sessions = isUnavailable(snapshot.containers)
      ? []
      : snapshot.containers.flatMap((container) => {
          const count = arr(container.inspect, 'ExecIDs').length;
          return count > 0 ? [`${str(container.inspect, 'Name').replace(/^\//, '')} (${count})`] : [];
        });
    return [{ subject: DAEMON_SUBJECT, status: 'manual', messageId: 'review', data: { sessions: shortList(sessions) } }];
  },
});
