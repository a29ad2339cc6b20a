import type { HostSystemFacts, MountEntry } from '../../snapshot/host.js';
import { isUnavailable } from '../../snapshot/types.js';
import { defineRule } from '../define.js';
import type { RuleResult } from '../types.js';
import { dataRootOf, hostSubject, realPathOf, systemOf } from './support/host-facts.js';

/** The mount a path is on: the longest mount point containing it, the last one mounted winning. */
function mountOf(mounts: MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const mount of mounts) {
    const point = mount.mountPoint;
    const contains = point === '/' || path === point || path.startsWith(`${point}/`);
    if (contains && (best === undefined || point.length >= best.mountPoint.length)) best = mount;
  }
  return best;
}

/**
 * Whether a mount shares the root filesystem's space: the same device as `/` (a bind mount
 * of a directory of it), or, without device numbers (fstab), a bind of a directory on `/`.
 */
function sharesRoot(mounts: MountEntry[], mount: MountEntry, root: MountEntry): boolean {
  if (mount.device !== undefined && root.device !== undefined) return mount.device === root.device;
  if (!mount.options.split(',').includes('bind') || !mount.source.startsWith('/')) return false;
  return mountOf(mounts, mount.source)?.mountPoint === '/';
}

function describeMount(mount: MountEntry): string {
  const subtree = mount.fsRoot !== undefined && mount.fsRoot !== '/' ? ` (its ${mount.fsRoot})` : '';
  return `${mount.source}${subtree}, ${mount.fsType}`;
}

function check(system: HostSystemFacts, dataRoot: string): Omit<RuleResult, 'subject'> {
  const path = realPathOf(system, dataRoot);
  const shown = path === dataRoot ? dataRoot : `${dataRoot} (${path})`;
  if (isUnavailable(system.mounts)) return { status: 'skipped', messageId: 'notVisible', data: { path: shown, reason: system.mounts.reason } };
  const mounts = system.mounts;
  const mount = mountOf(mounts, path);
  if (mount === undefined) return { status: 'skipped', messageId: 'notVisible', data: { path: shown, reason: 'no mount in the mount table contains it' } };
  const data = { path: shown, mountPoint: mount.mountPoint, source: describeMount(mount) };
  if (mount.mountPoint === '/') return { status: 'fail', messageId: 'onRoot', data };
  const root = mountOf(mounts, '/');
  if (root !== undefined && root.mountPoint === '/' && sharesRoot(mounts, mount, root)) {
    return { status: 'fail', messageId: 'sharesRoot', data: { ...data, root: describeMount(root) } };
  }
  if (mount.mountPoint !== path) return { status: 'warn', messageId: 'sharedMount', data };
  return { status: 'pass', messageId: 'ownMount', data };
}

export default defineRule({
  meta: {
    id: 'DA101',
    alias: 'data-root-partition',
    family: 'host',
    title: "The daemon's data root is on a partition of its own",
    severity: 'medium',
    rationale:
      'Images, containers, volumes and logs grow under the data root; on the root filesystem they can fill it and stop the host itself. A partition of its own confines that, and lets it carry its own mount options.',
    remediation:
      'Give the data root a filesystem of its own (a partition or logical volume) mounted at the data root, or move the data root (data-root in daemon.json) onto one, then restart the daemon.',
    references: { cis: ['1.1.1'], checklist: ['PART-1'] },
    needs: ['host', 'daemon'],
    messages: {
      ownMount: 'the data root {{path}} is a filesystem of its own: {{source}}',
      sharedMount: 'the data root {{path}} is on {{mountPoint}} ({{source}}), a separate filesystem it shares with the rest of {{mountPoint}}',
      onRoot: 'the data root {{path}} is on the root filesystem ({{source}})',
      sharesRoot: 'the data root {{path}} is mounted at {{mountPoint}} from {{source}}, the same filesystem as / ({{root}}): it shares its space',
      notVisible: 'the filesystem of the data root {{path}} cannot be told: {{reason}}',
    },
  },
  check: ({ snapshot }) => {
    const system = systemOf(snapshot);
    const dataRoot = dataRootOf(snapshot);
    if (system === undefined) return [];
    if (typeof dataRoot !== 'string') {
      return [{ subject: hostSubject(snapshot.host.hostname), status: 'skipped', messageId: 'notVisible', data: { path: 'of the daemon', reason: dataRoot.unknown } }];
    }
    return [{ subject: hostSubject(dataRoot), ...check(system, dataRoot) }];
  },
});
