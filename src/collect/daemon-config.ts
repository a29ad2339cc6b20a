/**
 * The daemon's effective configuration when it runs on this machine: daemon.json at the path
 * dockerd really uses, merged with dockerd's command line read from /proc (flags win).
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError } from '../errors.js';
import type { DaemonConfigFacts, Unavailable } from '../snapshot/types.js';

export const DEFAULT_DAEMON_JSON = '/etc/docker/daemon.json';

/** Short flags and renamed flags, mapped to their daemon.json key. */
const FLAG_ALIASES: Record<string, string> = {
  D: 'debug',
  l: 'log-level',
  G: 'group',
  s: 'storage-driver',
  g: 'data-root',
  graph: 'data-root',
  H: 'hosts',
  host: 'hosts',
  tlsverify: 'tlsverify',
  'authorization-plugin': 'authorization-plugins',
  'insecure-registry': 'insecure-registries',
  'registry-mirror': 'registry-mirrors',
  'storage-opt': 'storage-opts',
  'exec-opt': 'exec-opts',
  label: 'labels',
  'dns-opt': 'dns-opts',
  'dns-search': 'dns-search',
  dns: 'dns',
  'add-runtime': 'runtimes',
  'allow-nondistributable-artifacts': 'allow-nondistributable-artifacts',
  'default-address-pool': 'default-address-pools',
};

/** Flags that may repeat and collect into a list. */
const LIST_KEYS = new Set([
  'hosts',
  'authorization-plugins',
  'insecure-registries',
  'registry-mirrors',
  'storage-opts',
  'exec-opts',
  'labels',
  'dns',
  'dns-opts',
  'dns-search',
  'runtimes',
  'allow-nondistributable-artifacts',
  'default-address-pools',
]);

/** Boolean flags: a bare `--flag` means true. */
const BOOLEAN_KEYS = new Set([
  'debug',
  'tlsverify',
  'tls',
  'icc',
  'iptables',
  'ip6tables',
  'ip-forward',
  'ip-masq',
  'ipv6',
  'live-restore',
  'userland-proxy',
  'no-new-privileges',
  'experimental',
  'selinux-enabled',
  'init',
  'rootless',
]);

function parseValue(key: string, value: string | undefined): unknown {
  if (BOOLEAN_KEYS.has(key)) return value === undefined ? true : value !== 'false' && value !== '0';
  return value ?? '';
}

function parseUlimit(value: string): { Name: string; Soft: number; Hard: number } | undefined {
  const match = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(value);
  if (!match) return undefined;
  const soft = Number(match[2]);
  return { Name: match[1] as string, Soft: soft, Hard: match[3] === undefined ? soft : Number(match[3]) };
}

/** Turns dockerd's argv (without argv[0]) into daemon.json-shaped settings. */
export function parseDockerdFlags(argv: string[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    const match = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(argument);
    if (!match) continue;
    const name = match[1] as string;
    const key = FLAG_ALIASES[name] ?? name;
    let value = match[2];
    if (value === undefined && !BOOLEAN_KEYS.has(key)) {
      const next = argv[index + 1];
      if (next !== undefined && !next.startsWith('-')) {
        value = next;
        index += 1;
      }
    }
    if (key === 'log-opt') {
      const [optionName, ...rest] = (value ?? '').split('=');
      const logOpts = (settings['log-opts'] ?? {}) as Record<string, string>;
      logOpts[optionName as string] = rest.join('=');
      settings['log-opts'] = logOpts;
    } else if (key === 'default-ulimit') {
      const ulimit = parseUlimit(value ?? '');
      if (ulimit) {
        const ulimits = (settings['default-ulimits'] ?? {}) as Record<string, unknown>;
        ulimits[ulimit.Name] = ulimit;
        settings['default-ulimits'] = ulimits;
      }
    } else if (LIST_KEYS.has(key)) {
      const list = (settings[key] ?? []) as unknown[];
      list.push(value ?? '');
      settings[key] = list;
    } else {
      settings[key] = parseValue(key, value);
    }
  }
  return settings;
}

/** Finds the dockerd serving `socketPath` among this machine's processes. */
export async function findDockerdCommandLine(socketPath: string, procRoot = '/proc'): Promise<string[] | undefined> {
  let entries: string[];
  try {
    entries = await readdir(procRoot);
  } catch {
    return undefined;
  }
  const candidates: string[][] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = (await readFile(join(procRoot, entry, 'comm'), 'utf8')).trim();
      if (comm !== 'dockerd') continue;
      const argv = (await readFile(join(procRoot, entry, 'cmdline'), 'utf8')).split('\0').filter(Boolean);
      candidates.push(argv);
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  const served = (argv: string[]): string[] => {
    const hosts = parseDockerdFlags(argv.slice(1))['hosts'];
    return Array.isArray(hosts) && hosts.length > 0 ? (hosts as string[]) : ['unix:///var/run/docker.sock'];
  };
  const normalise = (path: string): string => path.replace(/^unix:\/\//, '').replace(/^\/var\/run\//, '/run/');
  const wanted = normalise(socketPath);
  return candidates.find((argv) => served(argv).some((host) => normalise(host) === wanted));
}

/** Reads and merges the daemon's configuration. */
export async function collectDaemonConfig(socketPath: string): Promise<DaemonConfigFacts | Unavailable> {
  const commandLine = await findDockerdCommandLine(socketPath);
  const flags = commandLine ? parseDockerdFlags(commandLine.slice(1)) : {};
  const path = typeof flags['config-file'] === 'string' ? flags['config-file'] : DEFAULT_DAEMON_JSON;
  let fileSettings: Record<string, unknown> = {};
  let configFile: DaemonConfigFacts['configFile'];
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      configFile = { path, status: 'invalid', reason: 'not a JSON object' };
    } else {
      fileSettings = parsed as Record<string, unknown>;
      configFile = { path, status: 'read' };
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    configFile =
      code === 'ENOENT'
        ? { path, status: 'absent' }
        : error instanceof SyntaxError
          ? { path, status: 'invalid', reason: error.message }
          : { path, status: 'unreadable', reason: describeError(error) };
  }
  if (!commandLine && configFile.status !== 'read') {
    return {
      unavailable: true,
      reason: `the dockerd process serving ${socketPath} is not visible from here and ${path} is ${configFile.status}`,
    };
  }
  const origin: DaemonConfigFacts['origin'] = {};
  for (const key of Object.keys(fileSettings)) origin[key] = 'file';
  for (const key of Object.keys(flags)) origin[key] = 'flag';
  return {
    configFile,
    ...(commandLine ? { commandLine } : {}),
    settings: { ...fileSettings, ...flags },
    origin,
  };
}
