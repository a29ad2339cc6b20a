/**
 * `dockaudit watch`: flags to library options, one line per change on stdout, notices on stderr.
 * Runs until SIGINT or SIGTERM (main.ts exits 130 or 143); it creates nothing on the host to remove.
 */
import { createServer, type Server } from 'node:http';
import { Option, type Command } from 'commander';
import { STATUSES, parseDuration, renderMetrics, watch, type WatchHandle, type Config, type LimitFlags, type Status, type WatchChange } from '../audit/index.js';
import { UsageError, describeError } from '../errors.js';
import { escapeControl } from '../report/escape.js';
import { onInterrupt, wasInterrupted } from './interrupt.js';
import type { Io } from './output.js';

/** 128 + the signal's number, as a shell reports a command a signal ended. */

export interface WatchFlags extends LimitFlags {
  host?: string;
  hostRoot?: string;
  concurrency: string;
  config?: string;
  format: 'json' | 'text';
  status: string;
  baseline: boolean;
  heartbeat: string;
  maxBackoff: string;
  metrics?: string;
}

/** `host:port`, `:port` (every interface) or `port` (127.0.0.1): where `--metrics` listens. */
export function parseListenAddress(value: string): { host: string | undefined; port: number } {
  const match = /^(?:(\[[0-9a-fA-F:]+\]|[^:]*):)?(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new UsageError(`--metrics must be HOST:PORT, :PORT or PORT, got ${value}`);
  const host = match[1] === undefined ? '127.0.0.1' : match[1] === '' ? undefined : match[1].replace(/^\[|\]$/g, '');
  return { host, port };
}

/** Serves the watch's metrics on `GET /metrics`; anything else is a 404. */
async function serveMetrics(address: string, handle: () => WatchHandle | undefined): Promise<Server> {
  const { host, port } = parseListenAddress(address);
  const server = createServer((request, response) => {
    const watching = handle();
    if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics' || watching === undefined) {
      response.statusCode = 404;
      return void response.end('not found\n');
    }
    response.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    response.end(renderMetrics(watching.stats(), watching.findings()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new UsageError(`--metrics cannot listen on ${address}: ${describeError(error)}`)));
    server.listen(port, host, resolve);
  });
  return server;
}

/** `fail,warn,error` → the statuses, each checked. */
export function parseStatuses(value: string): Status[] {
  const statuses = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const status of statuses) if (!(STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status takes ${STATUSES.join(', ')}; got ${status}`);
  if (statuses.length === 0) throw new UsageError('--status needs at least one status');
  return statuses as Status[];
}

/** One change as a JSON line: `event`, `at`, `finding`, and what caused it. */
export function changeJson(change: WatchChange): string {
  return `${JSON.stringify({ event: change.event, at: change.at, finding: change.finding, trigger: change.trigger })}\n`;
}

/** One change as a line for people; whatever came from the host is escaped. */
export function changeText(change: WatchChange): string {
  const { finding } = change;
  const subject = `${finding.subject.kind} ${finding.subject.name ?? finding.subject.id ?? ''}`;
  return `${change.at} ${change.event.toUpperCase().padEnd(8)} ${finding.status} ${finding.severity} ${finding.ruleId} ${escapeControl(subject)}: ${escapeControl(finding.message)}\n`;
}

/**
 * Watches until a signal; resolves with the signal's exit code. An error the watch cannot go on
 * from (a bad config) rejects, and main.ts reports it.
 */
export async function watchCommand(flags: WatchFlags, config: Config, io: Io, options: { concurrency: number; bounds: { maxResponseBytes?: number; requestTimeoutMs?: number; targetTimeoutMs?: number } }): Promise<number> {
  const statuses = parseStatuses(flags.status);
  const heartbeatMs = flags.heartbeat === '0' ? 0 : parseDuration(flags.heartbeat, '--heartbeat');
  const backoffMaxMs = parseDuration(flags.maxBackoff, '--max-backoff');
  const write = flags.format === 'json' ? changeJson : changeText;
  const controller = new AbortController();
  let handle: WatchHandle | undefined;
  const metrics = flags.metrics !== undefined ? await serveMetrics(flags.metrics, () => handle) : undefined;
  // On SIGINT or SIGTERM the watch stops and its metrics endpoint closes; main.ts then exits 130 or 143.
  const forget = onInterrupt(async () => {
    controller.abort(new Error('stopped by a signal'));
    await handle?.done.catch(() => undefined);
  });
  try {
    handle = watch({
      config,
      env: io.env,
      concurrency: options.concurrency,
      ...options.bounds,
      ...(flags.host !== undefined ? { host: flags.host } : {}),
      ...(flags.hostRoot !== undefined ? { hostRoot: flags.hostRoot } : {}),
      statuses,
      baseline: flags.baseline,
      heartbeatMs,
      backoffMaxMs,
      signal: controller.signal,
      onChange: (change) => io.stdout.write(write(change)),
      onNotice: (message) => io.stderr.write(`dockaudit: ${escapeControl(message)}\n`),
    });
    await handle.done;
  } finally {
    metrics?.closeAllConnections();
    metrics?.close();
    forget();
  }
  // Stopped by a signal: main.ts ends the process with the signal's code.
  if (wasInterrupted()) return new Promise<never>(() => undefined);
  return 0;
}

/** The command's flags (the target flags are added by program.ts, as for audit). */
export function watchOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'one JSON object per line, or text for people').choices(['json', 'text']).default('json'))
    .option('-c, --config <file>', 'config file (default .dockaudit.yml in the current directory)')
    .option('--status <list>', 'statuses followed, comma-separated; suppressed findings are never followed', 'fail,warn,error')
    .option('--no-baseline', 'do not print the findings of the first audit as new')
    .option('--heartbeat <duration>', 'ping the daemon this often while the stream is quiet, to find a dead connection (0: never)', '60s')
    .option('--max-backoff <duration>', 'longest wait between reconnections to the daemon', '30s')
    .option('--metrics <addr>', 'serve Prometheus metrics on http://ADDR/metrics (HOST:PORT, :PORT for every interface, or PORT for 127.0.0.1)');
}
