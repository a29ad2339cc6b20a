/**
 * Log drivers as the rules of several families see them: what a driver does with a container's
 * output, and the driver and options a workload really runs with.
 */
import { isUnavailable, type Snapshot } from '../snapshot/types.js';
import { str, type Workload } from '../snapshot/workload.js';

/** Built-in drivers that send each record away from the host as it is written. */
export const REMOTE_LOG_DRIVERS: ReadonlySet<string> = new Set(['fluentd', 'gelf', 'syslog', 'splunk', 'awslogs', 'gcplogs', 'logentries', 'etwlogs']);

/** Drivers whose logs dockerd writes to files under its data root. */
export const FILE_DRIVERS: ReadonlySet<string> = new Set(['json-file', 'local']);

/** What a log driver does with a container's output. */
export type LogDriverKind = 'file' | 'journald' | 'none' | 'remote';

/** Built-in remote drivers, and any plugin (`grafana/loki-docker-driver:latest`, `loki`), ship logs away. */
export function logDriverKind(driver: string): LogDriverKind {
  if (FILE_DRIVERS.has(driver)) return 'file';
  if (driver === 'journald' || driver === 'none') return driver;
  return 'remote';
}

export interface EffectiveLogConfig {
  driver: string;
  options: Record<string, string>;
  /** The daemon's default driver and options (`log-driver`, `log-opts`). */
  daemonDriver: string;
  daemonOptions: Record<string, string>;
}

function daemonLogDefaults(snapshot: Snapshot): { driver: string; options: Record<string, string> } {
  const daemon = snapshot.daemon;
  if (isUnavailable(daemon)) return { driver: 'json-file', options: {} };
  const settings = isUnavailable(daemon.config) ? {} : daemon.config.settings;
  const configured = settings['log-opts'];
  const options: Record<string, string> = {};
  if (typeof configured === 'object' && configured !== null) {
    for (const [key, value] of Object.entries(configured)) if (typeof value === 'string') options[key] = value;
  }
  const driver = str(daemon.info, 'LoggingDriver') || (typeof settings['log-driver'] === 'string' ? settings['log-driver'] : '') || 'json-file';
  return { driver, options };
}

/**
 * The log driver and options a workload runs with. A live container already carries what
 * the daemon merged into it when it was created (its default log-opts when the driver is the
 * default one, the `cache-*` options always); for a workload defined in a file, that merge is
 * done here, as the daemon will do it when the container is created.
 */
export function effectiveLogConfig(workload: Workload, snapshot: Snapshot): EffectiveLogConfig {
  const daemon = daemonLogDefaults(snapshot);
  const driver = workload.logging.driver || daemon.driver;
  const options = { ...workload.logging.options };
  if (workload.kind !== 'container') {
    for (const [key, value] of Object.entries(daemon.options)) {
      if (key in options) continue;
      if (driver === daemon.driver || key.startsWith('cache-')) options[key] = value;
    }
  }
  return { driver, options, daemonDriver: daemon.driver, daemonOptions: daemon.options };
}
