/**
 * Host collection: everything read from the host's filesystem under the host root.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { DaemonFacts, HostFacts, Unavailable } from '../../snapshot/types.js';

export interface HostCollectOptions {
  /** Where the host's filesystem is mounted; `/` for this machine. */
  hostRoot: string;
  /** Whether the audited daemon runs on the machine whose filesystem is at hostRoot. */
  daemonIsLocal: boolean;
  daemon: DaemonFacts | Unavailable;
}

function readFlag(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Collects the host facts. */
export async function collectHost(options: HostCollectOptions): Promise<HostFacts> {
  const apparmor = readFlag('/sys/module/apparmor/parameters/enabled');
  return {
    hostname: hostname(),
    daemonIsLocal: options.daemonIsLocal,
    ...(apparmor !== undefined ? { apparmorEnabled: apparmor === 'Y' } : {}),
    selinuxEnabled: existsSync('/sys/fs/selinux/enforce'),
    system: { unavailable: true, reason: 'host checks are not collected yet' },
  };
}
