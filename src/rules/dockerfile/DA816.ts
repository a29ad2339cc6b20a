import { posix } from 'node:path';
import { defineRule } from '../define.js';
import { forEachDockerfile, shippedInstructions, type FileVerdict } from './support/each.js';

type Messages = 'noSensitivePath' | 'volume' | 'workdir';

/** Host-level directories whose contents belong to the system, never to an application's data. */
const SYSTEM_DIRECTORIES: ReadonlySet<string> = new Set(['/etc', '/bin', '/sbin', '/usr', '/usr/bin', '/usr/sbin', '/lib', '/lib64', '/usr/lib', '/var/run', '/run', '/var/lib/docker']);
/** Kernel and boot interfaces: sensitive at any depth. */
const KERNEL_TREES: readonly string[] = ['/proc', '/sys', '/dev', '/boot'];
const DOCKER_SOCKETS: ReadonlySet<string> = new Set(['/var/run/docker.sock', '/run/docker.sock', '/var/run/containerd/containerd.sock', '/run/containerd/containerd.sock']);

function sensitive(path: string, rootCounts: boolean): string | undefined {
  const normalised = posix.normalize(path).replace(/(.)\/+$/, '$1');
  if (normalised === '/') return rootCounts ? 'the root filesystem' : undefined;
  if (DOCKER_SOCKETS.has(normalised)) return 'the container runtime socket';
  if (SYSTEM_DIRECTORIES.has(normalised)) return 'a system directory';
  if (KERNEL_TREES.some((tree) => normalised === tree || normalised.startsWith(`${tree}/`))) return 'a kernel or boot interface';
  return undefined;
}

export default defineRule({
  meta: {
    id: 'DA816',
    alias: 'dockerfile-sensitive-path',
    family: 'dockerfile',
    title: 'No VOLUME or WORKDIR on system paths',
    severity: 'medium',
    rationale:
      'A VOLUME on /, /etc, /proc, /sys, /dev or the Docker socket invites running the container with that host path mounted, and a WORKDIR there makes every relative write or COPY land in system files.',
    remediation: 'Declare volumes only for application data directories (/data, /var/lib/<app>) and set WORKDIR to the application\'s own directory.',
    references: { cis: [], checklist: ['ENV-3', 'IMG-4'] },
    needs: ['dockerfiles'],
    messages: {
      noSensitivePath: 'no VOLUME or WORKDIR on a system path',
      volume: 'VOLUME {{path}} is {{what}}',
      workdir: 'WORKDIR {{path}} is {{what}}: relative writes and COPY land in it',
    },
  },
  check: forEachDockerfile(
    (model) => {
      let workdir = '/';
      return shippedInstructions(model).flatMap((instruction): FileVerdict<Messages>[] => {
        if (instruction.keyword === 'VOLUME') {
          return instruction.words.flatMap((path) => {
            const what = path.startsWith('/') ? sensitive(path, true) : undefined;
            return what ? [{ status: 'fail' as const, messageId: 'volume' as const, data: { path, what }, at: instruction }] : [];
          });
        }
        if (instruction.keyword === 'WORKDIR' && instruction.words[0] !== undefined && !instruction.words[0].includes('$')) {
          workdir = posix.resolve(workdir, instruction.words[0]);
          // WORKDIR / is Docker's default, so it cannot be a finding.
          const what = sensitive(workdir, false);
          return what ? [{ status: 'warn', messageId: 'workdir', data: { path: workdir, what }, at: instruction }] : [];
        }
        return [];
      });
    },
    { history: true, pass: 'noSensitivePath', needsStage: true },
  ),
});
