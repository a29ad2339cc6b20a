import { posix } from 'node:path';
import type { WorkloadMount } from '../../views/workload.js';
import { defineRule, forEachWorkload, listOf } from '../define.js';

/** Host directories whose contents (or anything below them) a container should not reach. */
const SENSITIVE = ['/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/sys', '/usr', '/var/lib/docker', '/root', '/run', '/var/run'];

/** Read-only files that only carry the host's time zone: mounting them is the usual way to share it. */
const HARMLESS_READ_ONLY = new Set(['/etc/localtime', '/etc/timezone']);

/** Engine sockets are reported by DA532 with a critical severity; listing them here too would double count. */
const SOCKET_NAMES = new Set(['docker.sock', 'containerd.sock', 'cri-dockerd.sock', 'podman.sock']);

/** Each sensitive directory with the prefix of the paths below it. */
const SENSITIVE_PREFIXES = SENSITIVE.map((directory) => ({ directory, below: `${directory}/` }));

function sensitiveRoot(source: string): string | undefined {
  if (source === '/') return '/';
  return SENSITIVE_PREFIXES.find(({ directory, below }) => source === directory || source.startsWith(below))?.directory;
}

function isReported(mount: WorkloadMount): boolean {
  if (mount.type !== 'bind' || !mount.source.startsWith('/')) return false;
  const source = posix.normalize(mount.source).replace(/(.)\/$/, '$1');
  if (sensitiveRoot(source) === undefined) return false;
  if (SOCKET_NAMES.has(posix.basename(source))) return false;
  return !(mount.readOnly && HARMLESS_READ_ONLY.has(source));
}

function describe(mount: WorkloadMount): string {
  return `${mount.source} -> ${mount.target} (${mount.readOnly ? 'read-only' : 'writable'})`;
}

export default defineRule({
  meta: {
    id: 'DA506',
    alias: 'container-sensitive-mount',
    family: 'container',
    title: 'Sensitive host directories are not mounted into containers',
    severity: 'high',
    rationale:
      'A bind mount of /, /etc, /boot, /proc, /sys, /dev, /usr, /lib, /root, /run or the Docker data root lets the container read host secrets and, when writable, change the host\'s programs, configuration or running state.',
    remediation:
      'Mount only the application\'s own data directories; pass configuration through files made for the container (configs, secrets, a dedicated directory) instead of host system paths.',
    references: { cis: ['5.6'], checklist: ['ENV-3'] },
    needs: ['containers'],
    messages: {
      writable: 'mounts sensitive host paths, some writable: {{mounts}} (state: {{state}})',
      readOnly: 'mounts sensitive host paths read-only (still readable from the container): {{mounts}} (state: {{state}})',
      none: 'no sensitive host directory is mounted',
    },
  },
  check: forEachWorkload((workload) => {
    const reported = workload.mounts.filter(isReported);
    const state = workload.state ?? 'defined';
    const mounts = listOf(reported.map(describe));
    if (reported.some((mount) => !mount.readOnly)) return { status: 'fail', messageId: 'writable', data: { mounts, state }, key: 'volumes' };
    if (reported.length > 0) return { status: 'fail', messageId: 'readOnly', data: { mounts, state }, key: 'volumes', severity: 'medium' };
    return { status: 'pass', messageId: 'none' };
  }),
});
