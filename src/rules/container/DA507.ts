import { posix } from 'node:path';
import { isUnavailable, type ContainerFacts, type Snapshot } from '../../snapshot/types.js';
import { type Workload } from '../../views/workload.js';
import { obj, strings } from '../../snapshot/api-document.js';
import { containerFactsOf } from '../../views/all-workloads.js';
import { defineRule, forEachWorkload, listOf } from '../define.js';
import { shownCommand } from '../shared/redact.js';

const SSH_SERVERS = new Set(['sshd', 'dropbear']);

/** States in which a container has processes the daemon can list. */
const LIVE_STATES = new Set(['running', 'paused', 'restarting']);

/** sshd renames its processes `sshd: ...`; otherwise the program is the first word of the command line. */
function isSshServer(command: string): boolean {
  if (command.startsWith('sshd:')) return true;
  const program = command.trim().split(/\s+/)[0] ?? '';
  return SSH_SERVERS.has(posix.basename(program));
}

function factsOf(snapshot: Snapshot, workload: Workload): ContainerFacts | undefined {
  return containerFactsOf(snapshot, workload);
}

/** The entrypoint and command the container is configured to start with, as one line. */
function configuredCommand(facts: ContainerFacts): string {
  const config = obj(facts.inspect, 'Config');
  return [...strings(config, 'Entrypoint'), ...strings(config, 'Cmd')].join(' ');
}

export default defineRule({
  meta: {
    id: 'DA507',
    alias: 'container-sshd',
    family: 'container',
    title: 'No SSH server runs inside containers',
    severity: 'medium',
    rationale:
      'An SSH server in a container is one more network service with its own keys, passwords and vulnerabilities to manage, and it bypasses the access control and auditing of the Docker API; docker exec already gives an administrator a shell.',
    remediation: 'Remove the SSH server from the image and its start-up command; use docker exec (or kubectl exec) to get a shell.',
    references: { cis: ['5.7'], checklist: [] },
    needs: ['containers'],
    messages: {
      sshd: 'runs an SSH server: {{processes}}',
      sshdConfigured: 'is configured to start an SSH server ({{command}}; state: {{state}})',
      noSshd: 'no SSH server among its {{count}} processes',
      noProcesses: 'skipped: the processes of this {{state}} container could not be read ({{reason}})',
      notRunning: 'skipped: the container is {{state}}, so it has no processes to read (its configured command starts no SSH server)',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    if (workload.processes) {
      const servers = workload.processes.filter((process) => isSshServer(process.command));
      return servers.length > 0
        ? { status: 'fail', messageId: 'sshd', data: { processes: listOf(servers.map((process) => shownCommand(process.command))) } }
        : { status: 'pass', messageId: 'noSshd', data: { count: workload.processes.length } };
    }
    const facts = factsOf(snapshot, workload);
    if (facts === undefined) return undefined;
    const state = workload.state ?? 'unknown';
    if (LIVE_STATES.has(state)) {
      const reason = isUnavailable(facts.processes) ? facts.processes.reason : 'processes were not collected';
      return { status: 'skipped', messageId: 'noProcesses', data: { state, reason } };
    }
    const command = configuredCommand(facts);
    if (command.split(/\s+/).some((word) => SSH_SERVERS.has(posix.basename(word)))) {
      return { status: 'fail', messageId: 'sshdConfigured', data: { command: shownCommand(command), state } };
    }
    return { status: 'skipped', messageId: 'notRunning', data: { state } };
  }),
});
