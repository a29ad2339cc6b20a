/**
 * `dockaudit watch`: flags to library options, one line per change on stdout, notices on stderr.
 * Runs until SIGINT or SIGTERM (main.ts exits 130 or 143); it creates nothing on the host to remove.
 */
import { Option, type Command } from 'commander';
import { UsageError, openWatchSinks, parseDuration, parseSize, parseStatuses, serveMetrics, watch, type WatchHandle, type Config, type LimitFlags } from '../audit/index.js';
import { escapeControl } from '../escape.js';
import { changeJson, changeObject, changeText } from '../report/watch.js';
import { onInterrupt, wasInterrupted } from './interrupt.js';
import type { Io } from './output.js';

export interface WatchFlags extends LimitFlags {
  /** Every --host given, in order. */
  host?: string[];
  /** Every --context given, in order. */
  context?: string[];
  hostRoot?: string;
  concurrency: string;
  config?: string;
  format: 'json' | 'text';
  status: string;
  baseline: boolean;
  heartbeat: string;
  maxBackoff: string;
  metrics?: string;
  webhook?: string;
  webhookTimeout?: string;
  spool?: string;
  spoolMaxBytes?: string;
  syslog?: string | boolean;
}

/**
 * Watches until a signal; resolves with the signal's exit code. An error the watch cannot go on
 * from (a bad config) rejects, and main.ts reports it.
 */
export async function watchCommand(flags: WatchFlags, config: Config, io: Io, options: { concurrency: number; bounds: { maxResponseBytes?: number; requestTimeoutMs?: number; targetTimeoutMs?: number } }): Promise<void> {
  const statuses = parseStatuses(flags.status);
  // Several daemons, as for audit: hosts first, then contexts, each in the order given.
  const targets = [...(flags.host ?? []).map((host) => ({ host })), ...(flags.context ?? []).map((context) => ({ context }))];
  if (targets.length > 1 && flags.hostRoot !== undefined) throw new UsageError('--host-root is the filesystem of one host: give it with one --host or --context');
  const heartbeatMs = flags.heartbeat === '0' ? 0 : parseDuration(flags.heartbeat, '--heartbeat');
  const backoffMaxMs = parseDuration(flags.maxBackoff, '--max-backoff');
  const write = flags.format === 'json' ? changeJson : changeText;
  const controller = new AbortController();
  let handle: WatchHandle | undefined;
  const notice = (message: string): void => void io.stderr.write(`dockaudit: ${escapeControl(message)}\n`);
  // The URL may hold a token: DOCKAUDIT_WEBHOOK_URL keeps it off the command line.
  const webhook = flags.webhook ?? (io.env['DOCKAUDIT_WEBHOOK_URL'] || undefined);
  const sinks = await openWatchSinks({
    env: io.env,
    onNotice: notice,
    ...(webhook !== undefined ? { webhook } : {}),
    ...(flags.webhookTimeout !== undefined ? { webhookTimeoutMs: parseDuration(flags.webhookTimeout, '--webhook-timeout') } : {}),
    ...(flags.spool !== undefined ? { spoolDirectory: flags.spool } : {}),
    ...(flags.spoolMaxBytes !== undefined ? { spoolMaxBytes: parseSize(flags.spoolMaxBytes, '--spool-max-bytes') } : {}),
    ...(flags.syslog !== undefined && flags.syslog !== false ? { syslog: flags.syslog === true ? 'unix:///dev/log' : flags.syslog } : {}),
  });
  const metrics = flags.metrics !== undefined ? await serveMetrics(flags.metrics, () => handle, () => sinks.metrics()) : undefined;
  // On SIGINT or SIGTERM the watch stops, the sinks put what they hold on disk and its metrics endpoint closes; main.ts then exits 130 or 143.
  const forget = onInterrupt(async () => {
    controller.abort(new Error('stopped by a signal'));
    await handle?.done.catch(() => undefined);
    await sinks.close();
  });
  try {
    handle = watch({
      config,
      env: io.env,
      concurrency: options.concurrency,
      ...options.bounds,
      targets,
      ...(flags.hostRoot !== undefined ? { hostRoot: flags.hostRoot } : {}),
      statuses,
      baseline: flags.baseline,
      heartbeatMs,
      backoffMaxMs,
      signal: controller.signal,
      onChange: (change) => {
        io.stdout.write(write(change));
        sinks.push(change, changeObject(change));
      },
      onNotice: notice,
    });
    await handle.done;
  } finally {
    await sinks.close();
    metrics?.closeAllConnections();
    metrics?.close();
    forget();
  }
  // Stopped by a signal: main.ts ends the process with the signal's code.
  if (wasInterrupted()) return new Promise<never>(() => undefined);
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
    .option('--metrics <addr>', 'serve Prometheus metrics on http://ADDR/metrics (HOST:PORT, :PORT for every interface, or PORT for 127.0.0.1)')
    .option('--webhook <url>', 'also POST each change as JSON to this http(s) URL, in order, kept in a spool while the receiver is down (or DOCKAUDIT_WEBHOOK_URL)')
    .option('--webhook-timeout <duration>', 'deadline of one webhook request, answer included', '10s')
    .option('--spool <dir>', "the webhook's spool directory (default $XDG_CACHE_HOME/dockaudit/watch-spool/<digest of the URL>)")
    .option('--spool-max-bytes <bytes>', 'cap of the spool; past it the oldest undelivered changes are dropped, counted and told (default 64m; suffixes k, m)')
    .option('--syslog [url]', 'also send each change to syslog: unix:///dev/log (the default), udp://host:port or tcp://host:port');
}
