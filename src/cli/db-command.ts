/**
 * `dockaudit db update`: flags only; the download and its checks are in the library
 * (updateVulnDb). On SIGINT or SIGTERM the download in progress is abandoned and its temporary
 * file removed before main.ts exits; the previous copy stays.
 */
import { Option, type Command } from 'commander';
import { parseDuration, parseSize, updateVulnDb, vulnDbLimitsOf, type VulnDbLimitFlags, type VulnDbUpdateResult } from '../audit/index.js';
import { escapeControl } from '../escape.js';
import { onInterrupt } from './interrupt.js';
import type { Io } from './output.js';
import type { Ending } from './program.js';

interface DbUpdateFlags extends VulnDbLimitFlags {
  ecosystems?: string;
  source?: string;
  dir?: string;
  maxDownloadBytes?: string;
  timeout?: string;
  format: 'text' | 'json';
}

function line(result: VulnDbUpdateResult): string {
  if (result.status === 'updated') return `${result.ecosystem}: updated, ${result.documents} advisories, ${result.bytes} bytes -> ${result.path}`;
  return `${result.ecosystem}: not updated: ${result.reason}${result.kept ? ` (the previous copy ${result.kept} is kept)` : ''}`;
}

async function dbUpdateCommand(flags: DbUpdateFlags, io: Io): Promise<Ending> {
  const controller = new AbortController();
  let running: Promise<unknown> = Promise.resolve();
  const forget = onInterrupt(async () => {
    controller.abort(new Error('interrupted'));
    await running.catch(() => undefined);
  });
  let results: VulnDbUpdateResult[];
  try {
    const update = updateVulnDb({
      env: io.env,
      signal: controller.signal,
      ...(flags.ecosystems !== undefined ? { ecosystems: flags.ecosystems.split(',').map((name) => name.trim()).filter((name) => name !== '') } : {}),
      ...(flags.source !== undefined ? { source: flags.source } : {}),
      ...(flags.dir !== undefined ? { directory: flags.dir } : {}),
      ...(flags.maxDownloadBytes !== undefined ? { maxBytes: parseSize(flags.maxDownloadBytes, '--max-download-bytes') } : {}),
      ...(flags.timeout !== undefined ? { timeoutMs: parseDuration(flags.timeout, '--timeout') } : {}),
      limits: vulnDbLimitsOf(flags),
    });
    running = update;
    results = await update;
  } finally {
    forget();
  }
  if (flags.format === 'json') io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else for (const result of results) io.stdout.write(`${escapeControl(line(result))}\n`);
  const failed = results.filter((result) => result.status === 'failed');
  return { kind: 'written', incomplete: failed.map((result) => `${result.ecosystem} was not updated`) };
}

/** Registers `dockaudit db` and its `update` subcommand. */
export function registerDbCommand(program: Command, io: Io, finish: (ending: Ending) => void): void {
  const db = program.command('db').description('the vulnerability database DA461 matches image packages against (OSV advisories)');
  db.command('update')
    .description('download the OSV advisories of each ecosystem (osv.dev\'s <ecosystem>/all.zip) into the cache that audits read when no --vuln-db is given')
    .option('--ecosystems <names>', 'comma-separated osv.dev ecosystems (default Debian,Ubuntu,Alpine)')
    .option('--source <url>', 'where the ecosystems\' zips are served (default https://osv-vulnerabilities.storage.googleapis.com)')
    .option('--dir <dir>', 'where to keep them (default $XDG_CACHE_HOME/dockaudit/osv)')
    .option('--max-download-bytes <size>', 'largest zip downloaded (default 2GiB)')
    .option('--timeout <duration>', 'time one ecosystem\'s download and check may take (default 15m)')
    .option('--max-vuln-document-bytes <size>', 'largest advisory document the check reads (default 16MiB)')
    .option('--max-vuln-documents <count>', 'most documents the check reads (default 2000000)')
    .option('--max-vuln-db-bytes <size>', 'most bytes the check inflates (default 8GiB)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: DbUpdateFlags) => finish(await dbUpdateCommand(flags, io)));
}
