import { posix } from 'node:path';
import type { WorkloadMount } from '../../views/workload.js';
import { defineRule, forEachWorkload, listOf } from '../define.js';

/** API sockets of container engines: whoever can write to one controls the engine and so the host. */
const ENGINE_SOCKETS = new Set(['docker.sock', 'containerd.sock', 'cri-dockerd.sock', 'podman.sock']);

/** Host directories that hold the engine sockets: mounting one mounts the socket inside it. */
const SOCKET_DIRECTORIES = new Set(['/run', '/var/run', '/run/containerd', '/var/run/containerd', '/run/docker', '/var/run/docker']);

function isEngineSocket(mount: WorkloadMount): boolean {
  if (mount.type !== 'bind') return false;
  const source = mount.source.replace(/\/+$/, '');
  return ENGINE_SOCKETS.has(posix.basename(source)) || SOCKET_DIRECTORIES.has(source);
}

export default defineRule({
  meta: {
    id: 'DA532',
    alias: 'container-docker-socket',
    family: 'container',
    title: 'The Docker socket is not mounted into containers',
    severity: 'critical',
    rationale:
      'A process that can talk to the Docker (or containerd) socket can start a privileged container with the host filesystem mounted: it is root on the host. Mounting the socket read-only changes nothing, since the API is used over the socket, not by writing the file.',
    remediation:
      'Remove the socket mount. Tools that need the API should reach it through a proxy that allows only the calls they need, or run on the host under their own account.',
    references: { cis: ['5.32'], checklist: ['ENV-3'] },
    needs: ['containers'],
    messages: {
      mounted: 'mounts the container engine socket: {{mounts}} (state: {{state}})',
      notMounted: 'no container engine socket is mounted',
    },
  },
  check: forEachWorkload((workload) => {
    const sockets = workload.mounts.filter(isEngineSocket);
    return sockets.length > 0
      ? {
          status: 'fail',
          messageId: 'mounted',
          data: {
            mounts: listOf(sockets.map((mount) => `${mount.source} -> ${mount.target}${mount.readOnly ? ' (read-only, which does not protect it)' : ''}`)),
            state: workload.state ?? 'defined',
          },
          key: 'volumes',
        }
      : { status: 'pass', messageId: 'notMounted' };
  }),
});
