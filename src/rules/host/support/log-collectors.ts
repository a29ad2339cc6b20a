/**
 * Who reads and ships logs on a Docker host: log shippers running as host processes or as
 * containers, syslog daemons, journald's persistence. Shared by the monitoring and analysis
 * rules (MON-8, ANA-1, ANA-2).
 */
import { LOG_SHIPPERS, REMOTE_LOG_DRIVERS, logShipperOfImage } from '../../shared/logging.js';
import type { HostProcess, HostSystemFacts } from '../../../snapshot/host.js';
import { isUnavailable, type Snapshot, type Unavailable } from '../../../snapshot/types.js';
import { type Workload } from '../../../views/workload.js';
import { str } from '../../../snapshot/api-document.js';

/** Syslog daemons: they keep logs on disk and forward them when configured to. */
const SYSLOG_DAEMONS: readonly string[] = ['rsyslogd', 'syslog-ng', 'syslogd'];

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Names already worked out, per process of the snapshot: several rules ask, for every process, for every shipper. */
const names = new WeakMap<HostProcess, readonly string[]>();

/** The executable names a process goes by: its `comm` and its first argument's base name. */
function executableNames(process: HostProcess): readonly string[] {
  let known = names.get(process);
  if (known === undefined) {
    const first = /^\s*(\S+)/.exec(process.args)?.[1] ?? '';
    known = [process.comm, baseName(first)].filter((name) => name !== '');
    names.set(process, known);
  }
  return known;
}

/** A shipper found running, as messages name it. */
export interface FoundCollector {
  name: string;
  where: string;
}

/** Shippers running as host processes, or Unavailable when the process list is not visible. */
export function hostShippers(system: HostSystemFacts | undefined): FoundCollector[] | Unavailable {
  if (system === undefined) return { unavailable: true, reason: 'host facts were not collected' };
  if (isUnavailable(system.processes)) return system.processes;
  const found: FoundCollector[] = [];
  for (const collector of LOG_SHIPPERS) {
    const process = system.processes.find(
      (candidate) =>
        executableNames(candidate).some((name) => collector.executables.includes(name)) ||
        (collector.commandLine !== undefined && collector.commandLine.test(candidate.args)),
    );
    if (process) found.push({ name: collector.name, where: `host process ${process.pid}` });
  }
  return found;
}

/** Workloads that run a shipper image: running containers, and services. */
export function containerShippers(workloads: readonly Workload[]): FoundCollector[] {
  const found: FoundCollector[] = [];
  for (const workload of workloads) {
    const running = workload.kind === 'service' || (workload.kind === 'container' && workload.state === 'running');
    if (!running) continue;
    const collector = logShipperOfImage(workload.image);
    if (collector) found.push({ name: collector.name, where: `${workload.kind} ${workload.name}` });
  }
  return found;
}

/** Syslog daemons running on the host, or Unavailable when the process list is not visible. */
export function syslogDaemons(system: HostSystemFacts): string[] | Unavailable {
  if (isUnavailable(system.processes)) return system.processes;
  return [...new Set(system.processes.flatMap((process) => executableNames(process).filter((name) => SYSLOG_DAEMONS.includes(name))))];
}

/** Whether journald keeps logs across reboots: `persistent`, `volatile`, `none`, or undefined when not visible. */
export function journalStorage(system: HostSystemFacts): 'persistent' | 'volatile' | 'none' | undefined {
  const journald = system.journald;
  if (isUnavailable(journald)) return undefined;
  const storage = (journald.storage ?? 'auto').toLowerCase();
  if (storage === 'persistent') return 'persistent';
  if (storage === 'volatile') return 'volatile';
  if (storage === 'none') return 'none';
  // `auto` (the default) persists only when /var/log/journal exists.
  return journald.persistentDirectory ? 'persistent' : 'volatile';
}

/** `Fluent Bit (container fluent-bit), Vector (host process 812)`. */
export function describeCollectors(found: readonly FoundCollector[]): string {
  return found.map((collector) => `${collector.name} (${collector.where})`).join(', ');
}


/** Whether a log driver ships records off the host: a built-in remote driver or a logging plugin (`grafana/loki-docker-driver:latest`). */
export function isRemoteDriver(driver: string): boolean {
  return REMOTE_LOG_DRIVERS.has(driver) || driver.includes('/') || driver.includes(':');
}

/** The daemon's default log driver (`json-file` when the daemon is not visible, its own default). */
export function defaultLogDriver(snapshot: Snapshot): string {
  const daemon = snapshot.daemon;
  return (isUnavailable(daemon) ? '' : str(daemon.info, 'LoggingDriver')) || 'json-file';
}
