/**
 * The snapshot `lint` audits: files alone. A module of its own so that linting never loads the
 * daemon client or the host collectors.
 */
import { hostname } from 'node:os';
import type { SourceFiles } from '../snapshot/files.js';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../snapshot/types.js';
import { VERSION } from '../version.js';

/** A snapshot of files alone, for `lint`: no daemon, no containers, no host. */
export function filesOnlySnapshot(files: SourceFiles): Snapshot {
  const noDaemon = { unavailable: true as const, reason: 'lint checks files only; no Docker daemon was audited' };
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    tool: { name: 'dockaudit', version: VERSION },
    collectedAt: new Date().toISOString(),
    target: { dockerHost: 'none (lint)' },
    daemon: noDaemon,
    containers: [],
    images: [],
    networks: [],
    volumes: [],
    swarm: noDaemon,
    host: { hostname: hostname(), daemonIsLocal: false },
    files,
    problems: [],
  };
}
