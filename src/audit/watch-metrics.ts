/**
 * The Prometheus text exposition (format 0.0.4) of a running watch: the findings it follows by
 * rule, severity and status, events handled, full audits and when the last one ended, and the
 * state of the event stream; and the small HTTP server that serves it for `--metrics`.
 */
import { createServer, type Server } from 'node:http';
import type { Finding } from '../engine/report.js';
import { UsageError, describeError } from '../errors.js';
import { parseListenAddress } from './limits.js';
import type { WatchHandle, WatchStats } from './watch.js';

/** A label value as the format wants it: backslash, double quote and newline escaped. */
function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  return `{${Object.entries(pairs).map(([name, value]) => `${name}="${labelValue(value)}"`).join(',')}}`;
}

/** The metrics text of a watch, labelled with its target (the daemon's address). */
export function renderMetrics(stats: WatchStats, findings: Iterable<Finding>): string {
  return renderTargetsMetrics([{ stats, findings }]);
}

/** The metrics text of a watch of several daemons: each sample labelled with its target, each metric described once. */
export function renderTargetsMetrics(targets: readonly { stats: WatchStats; findings: Iterable<Finding> }[]): string {
  const lines: string[] = [
    '# HELP dockaudit_watch_findings Findings followed now (watched statuses, not suppressed), by rule, severity and status.',
    '# TYPE dockaudit_watch_findings gauge',
  ];
  for (const { stats, findings } of targets) {
    const target = stats.target;
    const counts = new Map<string, { rule: string; severity: string; status: string; count: number }>();
    for (const finding of findings) {
      const key = `${finding.ruleId}\u0000${finding.severity}\u0000${finding.status}`;
      const entry = counts.get(key) ?? { rule: finding.ruleId, severity: finding.severity, status: finding.status, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
    for (const entry of [...counts.values()].sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || (a.severity < b.severity ? -1 : 1) || (a.status < b.status ? -1 : 1))) {
      lines.push(`dockaudit_watch_findings${labels({ target, rule: entry.rule, severity: entry.severity, status: entry.status })} ${entry.count}`);
    }
  }
  const counter = (name: string, type: string, help: string, value: (stats: WatchStats) => number): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const { stats } of targets) lines.push(`${name}${labels({ target: stats.target })} ${value(stats)}`);
  };
  counter('dockaudit_watch_events_total', 'counter', 'Daemon events read from the stream and handled.', (stats) => stats.eventsHandled);
  counter('dockaudit_watch_full_audits_total', 'counter', 'Full audits completed (the first, after reconnections and daemon reloads).', (stats) => stats.fullAudits);
  counter('dockaudit_watch_last_full_audit_timestamp_seconds', 'gauge', 'When the last full audit completed (0: none yet).', (stats) => (stats.lastFullAuditAt === undefined ? 0 : stats.lastFullAuditAt / 1000));
  counter('dockaudit_watch_connected', 'gauge', 'Whether the event stream is open (1) or not (0).', (stats) => (stats.connected ? 1 : 0));
  counter('dockaudit_watch_reconnects_total', 'counter', 'Times the event stream was opened again after it ended or failed.', (stats) => stats.reconnects);
  return `${lines.join('\n')}\n`;
}

/** Serves the watch's metrics on `GET /metrics`; anything else is a 404. */
export async function serveMetrics(address: string, handle: () => WatchHandle | undefined, extra?: () => string): Promise<Server> {
  const { host, port } = parseListenAddress(address);
  const server = createServer((request, response) => {
    const watching = handle();
    if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics' || watching === undefined) {
      response.statusCode = 404;
      return void response.end('not found\n');
    }
    response.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    response.end(renderTargetsMetrics(watching.targets()) + (extra?.() ?? ''));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new UsageError(`--metrics cannot listen on ${address}: ${describeError(error)}`)));
    server.listen(port, host, resolve);
  });
  return server;
}
