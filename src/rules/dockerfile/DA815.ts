import type { DockerfileInstruction } from '../../parsers/dockerfile/snapshot-dockerfiles.js';
import { defineRule } from '../define.js';
import { forEachDockerfile, runsOf, shippedInstructions, type FileVerdict } from './support/each.js';
import { packageCommands, type Manager } from './support/packages.js';

type Messages = 'noSsh' | 'port22' | 'sshdInstalled' | 'sshdStarted';

const SERVER_PACKAGES: Readonly<Partial<Record<Manager, ReadonlySet<string>>>> = {
  apt: new Set(['openssh-server', 'ssh', 'dropbear', 'dropbear-bin']),
  apk: new Set(['openssh', 'openssh-server', 'dropbear']),
  yum: new Set(['openssh-server', 'dropbear']),
  zypper: new Set(['openssh', 'openssh-server', 'dropbear']),
};
const SERVERS: ReadonlySet<string> = new Set(['sshd', 'dropbear']);

/** Whether an EXPOSE word (`22`, `22/tcp`, `20-25/tcp`) covers port 22. */
function exposes22(word: string): boolean {
  const range = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(word.trim());
  if (!range) return false;
  const first = Number(range[1]);
  const last = range[2] === undefined ? first : Number(range[2]);
  return first <= 22 && 22 <= last && (range[3] ?? 'tcp').toLowerCase() === 'tcp';
}

function startsServer(instruction: DockerfileInstruction): boolean {
  return (instruction.keyword === 'CMD' || instruction.keyword === 'ENTRYPOINT') && (instruction.script?.commands ?? []).some((command) => SERVERS.has(command.program));
}

export default defineRule({
  meta: {
    id: 'DA815',
    alias: 'dockerfile-ssh',
    family: 'dockerfile',
    title: 'The shipped image runs no SSH server',
    severity: 'high',
    rationale:
      'An SSH server in a container is one more daemon and set of credentials to manage and attack, and a way in that bypasses the engine\'s controls; docker exec already gives operators a shell.',
    remediation: 'Remove the SSH server package, the EXPOSE 22 and any sshd start-up; use docker exec (or kubectl exec) for interactive access.',
    references: { cis: [], checklist: ['NET-1', 'IMG-4'], related: ['5.7'] },
    needs: ['dockerfiles'],
    messages: {
      noSsh: 'no SSH server in the shipped image',
      port22: 'EXPOSE {{port}} declares the SSH port',
      sshdInstalled: '{{manager}} installs {{package}}, an SSH server, into the shipped image',
      sshdStarted: '{{keyword}} starts {{program}}, an SSH server',
    },
  },
  check: forEachDockerfile(
    (model) => {
      const shipped = shippedInstructions(model);
      const exposed = shipped
        .filter((instruction) => instruction.keyword === 'EXPOSE')
        .flatMap((instruction): FileVerdict<Messages>[] => instruction.words.filter(exposes22).map((port) => ({ status: 'fail', messageId: 'port22', data: { port }, at: instruction })));
      const installed = runsOf(shipped).flatMap(({ instruction, commands }) =>
        packageCommands(commands).flatMap((action): FileVerdict<Messages>[] => {
          const servers = SERVER_PACKAGES[action.manager];
          const found = action.verb === 'install' ? action.packages.find((name) => servers?.has(name)) : undefined;
          return found ? [{ status: 'fail', messageId: 'sshdInstalled', data: { manager: action.program, package: found }, at: instruction }] : [];
        }),
      );
      const started = shipped.filter(startsServer).map((instruction): FileVerdict<Messages> => {
        const program = (instruction.script?.commands ?? []).find((command) => SERVERS.has(command.program))?.program ?? 'sshd';
        return { status: 'fail', messageId: 'sshdStarted', data: { keyword: instruction.keyword, program }, at: instruction };
      });
      return [...exposed, ...installed, ...started];
    },
    { history: true, pass: 'noSsh', needsStage: true },
  ),
});
