import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { imageFactsUnknown, type Workload } from '../../views/workload.js';
import { strings } from '../../snapshot/api-document.js';
import { defineRule, forEachWorkload, listOf } from '../define.js';
import { shownCommand } from '../shared/redact.js';

/** States in which a container has processes the daemon can list. */
const LIVE_STATES = new Set(['running', 'paused', 'restarting']);

/** `root`, `0`, `0:0`, `root:staff`: the user part decides. */
function isRootUser(user: string): boolean {
  const name = user.split(':')[0] ?? '';
  return name === 'root' || name === '0';
}

/** With user-namespace remapping, the daemon's process list shows host uids, so container root does not look like root. */
function daemonRemapsUsers(snapshot: Snapshot, workload: Workload): boolean {
  if (isUnavailable(snapshot.daemon) || workload.namespaces.userns === 'host') return false;
  const options = strings(snapshot.daemon.info, 'SecurityOptions');
  return options.includes('name=userns') || options.includes('name=rootless');
}

function describeProcesses(processes: { user: string; command: string }[]): string {
  const shown = processes.slice(0, 3).map((process) => shownCommand(process.command));
  return listOf(processes.length > shown.length ? [...shown, `${processes.length - shown.length} more`] : shown);
}

export default defineRule({
  meta: {
    id: 'DA533',
    alias: 'container-root-user',
    family: 'container',
    title: 'Containers do not run as root',
    severity: 'medium',
    rationale:
      "Root in a container is the host's root, held back only by capabilities, seccomp and the LSM: any escape, writable host mount or kernel bug then yields the whole host. A non-root user takes most of those paths away.",
    remediation:
      'Create an unprivileged user in the image and switch to it (USER app, or USER 10001), or run the container with --user 10001:10001 (user: in Compose).',
    references: { cis: ['4.1'], checklist: ['ENV-2'] },
    needs: ['containers'],
    messages: {
      notSet: 'user not set; image default is root (state: {{state}}; processes as root: {{rootProcesses}})',
      root: 'runs as root (user {{user}}; state: {{state}}; processes as root: {{rootProcesses}})',
      dropsPrivileges:
        'starts as root (user {{user}}) but its processes run as {{users}}: the entrypoint drops privileges; docker exec still enters as root',
      processesAsRoot: 'is configured for user {{user}}, yet processes run as root: {{rootProcesses}}',
      nonRoot: 'runs as user {{user}}',
      imageNotSeen:
        'user not set, and the image {{image}} was not seen: its default user decides whether the service runs as root (audit with the image present, or set user:)',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    const state = workload.state ?? 'defined';
    const configured = workload.user || workload.imageUser || '';
    const processes = daemonRemapsUsers(snapshot, workload) ? undefined : workload.processes;
    const asRoot = processes?.filter((process) => isRootUser(process.user)) ?? [];
    const stopped = workload.state !== undefined && !LIVE_STATES.has(workload.state);
    const rootProcesses =
      processes !== undefined ? (asRoot.length === 0 ? 'none' : describeProcesses(asRoot)) : stopped ? 'none while not running' : 'not known';
    if (configured !== '' && !isRootUser(configured)) {
      return asRoot.length > 0
        ? { status: 'fail', messageId: 'processesAsRoot', data: { user: configured, rootProcesses }, key: 'user' }
        : { status: 'pass', messageId: 'nonRoot', data: { user: configured } };
    }
    if (processes !== undefined && processes.length > 0 && asRoot.length === 0) {
      const users = listOf([...new Set(processes.map((process) => process.user))]);
      return { status: 'warn', messageId: 'dropsPrivileges', data: { user: configured || 'not set', users }, key: 'user' };
    }
    if (configured === '' && imageFactsUnknown(workload)) return { status: 'manual', messageId: 'imageNotSeen', data: { image: workload.image }, key: 'user' };
    return configured === ''
      ? { status: 'fail', messageId: 'notSet', data: { state, rootProcesses }, key: 'user' }
      : { status: 'fail', messageId: 'root', data: { user: configured, state, rootProcesses }, key: 'user' };
  }),
});
