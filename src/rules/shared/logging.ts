/**
 * Logging as the rules of several families see it: what a driver does with a container's
 * output, the driver and options a workload really runs with, and the log shippers that may
 * run on the host or in containers.
 */
import { isImageNamed, parseImageReference } from '../../parsers/image-reference.js';
import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { type Workload } from '../../views/workload.js';
import { str } from '../../snapshot/api-document.js';

/** A log shipper: it reads logs (files, the journal, the Docker API) and sends them to a collector. */
export interface LogShipper {
  name: string;
  /** Executable names, matched against the process `comm` and the base name of its first argument (`comm` is cut at 15 characters). */
  executables: readonly string[];
  /** For shippers run by an interpreter (Ruby, Java), a pattern over the whole command line. */
  commandLine?: RegExp;
  /** Image repositories: a last path component (`promtail`) or a path suffix (`grafana/alloy`). */
  images: readonly string[];
}

export const LOG_SHIPPERS: readonly LogShipper[] = [
  { name: 'Fluentd', executables: ['fluentd', 'td-agent'], commandLine: /\bfluentd\b/, images: ['fluentd', 'fluent/fluentd', 'td-agent'] },
  { name: 'Fluent Bit', executables: ['fluent-bit', 'td-agent-bit'], images: ['fluent-bit', 'fluent/fluent-bit', 'td-agent-bit'] },
  { name: 'Vector', executables: ['vector'], images: ['timberio/vector', 'vector'] },
  { name: 'Promtail', executables: ['promtail'], images: ['promtail'] },
  { name: 'Grafana Alloy', executables: ['alloy'], images: ['grafana/alloy'] },
  { name: 'Grafana Agent', executables: ['grafana-agent'], images: ['grafana/agent'] },
  { name: 'Filebeat', executables: ['filebeat'], images: ['filebeat'] },
  { name: 'Journalbeat', executables: ['journalbeat'], images: ['journalbeat'] },
  { name: 'Elastic Agent', executables: ['elastic-agent'], images: ['elastic-agent'] },
  { name: 'Logstash', executables: ['logstash'], commandLine: /\blogstash\b/, images: ['logstash'] },
  {
    name: 'OpenTelemetry Collector',
    executables: ['otelcol', 'otelcol-contrib', 'otelcol-k8s'],
    images: ['opentelemetry-collector', 'opentelemetry-collector-contrib', 'opentelemetry-collector-k8s'],
  },
  { name: 'Datadog Agent', executables: ['datadog-agent'], commandLine: /datadog-agent/, images: ['datadog/agent', 'datadoghq/agent'] },
  { name: 'Splunk forwarder', executables: ['splunkd'], images: ['universalforwarder'] },
  { name: 'NXLog', executables: ['nxlog'], images: ['nxlog-ce'] },
  { name: 'Logspout', executables: ['logspout'], images: ['logspout'] },
  { name: 'CloudWatch agent', executables: ['amazon-cloudwatch-agent'], images: ['cloudwatch-agent'] },
  { name: 'systemd-journal-upload', executables: ['systemd-journal-upload'], images: [] },
];

/** The log shipper an image runs, by its repository, or undefined. */
export function logShipperOfImage(image: string): LogShipper | undefined {
  const reference = parseImageReference(image);
  return LOG_SHIPPERS.find((shipper) => shipper.images.some((pattern) => isImageNamed(reference, pattern.toLowerCase())));
}

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
