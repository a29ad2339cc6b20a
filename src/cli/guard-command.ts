/**
 * `dockaudit guard`: flags only; the decision and the socket are in src/guard, reached through
 * the library. The command serves until SIGINT or SIGTERM; it registers the closing of its socket
 * (cli/interrupt.ts), and main.ts exits 130 or 143 once it is removed.
 */
import { Option, type Command } from 'commander';
import {
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SOCKET,
  SEVERITIES,
  DEFAULT_DAEMON_REFRESH_MS,
  guardWithDaemonFacts,
  loadConfig,
  parseDuration,
  parseSize,
  type DecisionRecord,
  type GuardMode,
  type Severity,
} from '../audit/index.js';
import { escapeControl } from '../escape.js';
import { onInterrupt } from './interrupt.js';
import type { Io } from './output.js';

interface GuardFlags {
  socket: string;
  mode: GuardMode;
  denyOn: Severity;
  config?: string;
  maxRequestBytes?: string;
  requestTimeout?: string;
  host?: string;
  daemonRefresh?: string;
}

/** One JSON line per judged request, with the time the decision took. */
function logLine(record: DecisionRecord, milliseconds: number): string {
  return `${JSON.stringify({ ...record, decisionMs: Math.round(milliseconds * 1000) / 1000 })}\n`;
}

async function guardCommand(flags: GuardFlags, io: Io): Promise<never> {
  const config = await loadConfig({ ...(flags.config ? { file: flags.config } : {}), cwd: io.cwd, env: io.env });
  const server = await guardWithDaemonFacts({
    config,
    mode: flags.mode,
    denyOn: flags.denyOn,
    socket: flags.socket,
    maxRequestBytes: flags.maxRequestBytes !== undefined ? parseSize(flags.maxRequestBytes, '--max-request-bytes') : DEFAULT_MAX_REQUEST_BYTES,
    requestTimeoutMs: flags.requestTimeout !== undefined ? parseDuration(flags.requestTimeout, '--request-timeout') : DEFAULT_REQUEST_TIMEOUT_MS,
    onDecision: (record, milliseconds) => io.stdout.write(logLine(record, milliseconds)),
    daemonFacts: {
      env: io.env,
      ...(flags.host !== undefined ? { host: flags.host } : {}),
      ...(flags.daemonRefresh !== undefined ? { refreshMs: parseDuration(flags.daemonRefresh, '--daemon-refresh') } : {}),
      onNotice: (message) => io.stderr.write(`dockaudit: ${escapeControl(message)}\n`),
    },
  });
  io.stderr.write(`dockaudit: guard listening on ${escapeControl(server.socket)} (mode ${flags.mode}, refusing at ${flags.denyOn} and above)\n`);
  onInterrupt(() => server.close());
  return new Promise<never>(() => undefined);
}

/** Registers `dockaudit guard`. */
export function registerGuardCommand(program: Command, io: Io): void {
  program
    .command('guard')
    .description('serve as a Docker authorization plugin (dockerd --authorization-plugin=dockaudit) that refuses containers, services, execs and plugins the container rules fail')
    .option('--socket <path>', 'unix socket to serve the plugin protocol on', DEFAULT_SOCKET)
    .addOption(new Option('--mode <mode>', 'enforce: refuse; dry-run: allow and log what would be refused').choices(['enforce', 'dry-run']).default('enforce'))
    .addOption(new Option('--deny-on <severity>', 'refuse a request with a failing finding at or above this severity').choices([...SEVERITIES]).default('high'))
    .option('-c, --config <file>', 'config file (ignores, rule settings and severities apply)')
    .option('--max-request-bytes <bytes>', `refuse an authorization request larger than this (default ${DEFAULT_MAX_REQUEST_BYTES}, 4 MiB; suffixes k, m)`)
    .option('-H, --host <address>', "the daemon whose facts the rules read (its /info, and its daemon.json when local); default DOCKER_HOST, else the local socket")
    .option('--daemon-refresh <duration>', `read the daemon's facts again this often (default ${DEFAULT_DAEMON_REFRESH_MS / 1000}s)`)
    .option('--request-timeout <duration>', `refuse an authorization request not received within this (default ${DEFAULT_REQUEST_TIMEOUT_MS / 1000}s)`)
    .action(async (flags: GuardFlags) => guardCommand(flags, io));
}
