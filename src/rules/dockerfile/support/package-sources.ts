/**
 * Package managers in RUN commands: the package indexes they are told to use (so a plain-HTTP
 * index can be reported: pip and npm do not check what an index sends them against any
 * signature), and the package files they install (so a downloaded .deb or .rpm installed
 * unverified, whose maintainer scripts run as root, can be reported as a downloaded script run).
 */
import type { ShellCommand } from '../../../parsers/dockerfile/snapshot-dockerfiles.js';

/** A package index a command (or an ENV/ARG setting) points a package manager at. */
export interface PackageIndex {
  /** The package manager, as messages name it: `pip`, `npm`, `yarn`, `pnpm`, `gem`. */
  tool: string;
  url: string;
}

const PIP = /^pip[\d.]*$/;
const PYTHON = /^python[\d.]*$/;
const NODE_MANAGERS: ReadonlySet<string> = new Set(['npm', 'yarn', 'pnpm']);

/** Environment variables that set a package index, by the package manager that reads them. */
const INDEX_VARIABLES: ReadonlyMap<string, string> = new Map([
  ['PIP_INDEX_URL', 'pip'],
  ['PIP_EXTRA_INDEX_URL', 'pip'],
  ['PIP_FIND_LINKS', 'pip'],
  ['NPM_CONFIG_REGISTRY', 'npm'],
  ['npm_config_registry', 'npm'],
  ['YARN_REGISTRY', 'yarn'],
  ['YARN_NPM_REGISTRY_SERVER', 'yarn'],
]);

/** The value of `--name value`, `--name=value` or (for `short`) `-x value`, `-xvalue`, each time it is given. */
function optionValues(args: readonly string[], long: readonly string[], short: readonly string[] = []): string[] {
  const values: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--') break;
    for (const name of long) {
      if (arg === `--${name}`) values.push(args[index + 1] ?? '');
      else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
    }
    for (const letter of short) {
      if (arg === `-${letter}`) values.push(args[index + 1] ?? '');
      else if (arg.startsWith(`-${letter}`) && !arg.startsWith('--')) values.push(arg.slice(2));
    }
  }
  return values;
}

/** The arguments pip is given: `pip …`, `python -m pip …`. Undefined for another command. */
function pipArguments(command: ShellCommand): string[] | undefined {
  if (PIP.test(command.program)) return command.args;
  if (PYTHON.test(command.program)) {
    const module = command.args.indexOf('-m');
    if (module !== -1 && command.args[module + 1] === 'pip') return command.args.slice(module + 2);
  }
  return undefined;
}

/** pip checks every file against a hash given with it: the index is then not what integrity rests on. */
function pipChecksHashes(args: readonly string[]): boolean {
  return args.some((arg) => arg === '--require-hashes' || arg === '--hash' || arg.startsWith('--hash='));
}

/**
 * The package indexes a command sets, by option or by setting (`pip config set global.index-url`,
 * `npm config set registry`, `NAME=value` before the command): none for a pip that checks hashes.
 */
export function packageIndexesOf(command: ShellCommand): PackageIndex[] {
  const found: PackageIndex[] = [];
  for (const { name, value } of command.assignments) {
    const tool = INDEX_VARIABLES.get(name);
    if (tool !== undefined) found.push(...indexUrls(value.value).map((url) => ({ tool, url })));
  }
  const pip = pipArguments(command);
  if (pip !== undefined) {
    if (pipChecksHashes(pip)) return [];
    for (const url of optionValues(pip, ['index-url', 'extra-index-url', 'find-links'], ['i', 'f'])) found.push({ tool: 'pip', url });
    if (pip[0] === 'config' && pip[1] === 'set' && /(^|\.)(index-url|extra-index-url|find-links)$/.test(pip[2] ?? '')) found.push(...indexUrls(pip[3] ?? '').map((url) => ({ tool: 'pip', url })));
    return found;
  }
  if (NODE_MANAGERS.has(command.program)) {
    const tool = command.program;
    for (const url of optionValues(command.args, ['registry'])) found.push({ tool, url });
    // `npm config set registry URL`, `npm config set registry=URL`, `yarn config set registry URL`.
    if (command.args[0] === 'config' && command.args[1] === 'set') {
      const key = command.args[2] ?? '';
      if (key === 'registry' || key === 'npmRegistryServer') found.push({ tool, url: command.args[3] ?? '' });
      else if (key.startsWith('registry=')) found.push({ tool, url: key.slice('registry='.length) });
    }
    return found;
  }
  if (command.program === 'gem') {
    const sources = command.args[0] === 'sources' ? optionValues(command.args, ['add'], ['a']) : optionValues(command.args, ['source'], ['s']);
    for (const url of sources) found.push({ tool: 'gem', url });
  }
  return found;
}

/** The package indexes an ENV or ARG pair sets: PIP_INDEX_URL, NPM_CONFIG_REGISTRY… */
export function packageIndexesOfSetting(name: string, value: string): PackageIndex[] {
  const tool = INDEX_VARIABLES.get(name);
  return tool === undefined ? [] : indexUrls(value).map((url) => ({ tool, url }));
}

/** The URLs of a setting that may list several, separated by blanks (PIP_EXTRA_INDEX_URL). */
function indexUrls(value: string): string[] {
  return value.split(/\s+/).filter((url) => url !== '');
}

/** The operands of a command: its arguments that are not options (up to `--`, then all). */
function operandsOf(args: readonly string[]): string[] {
  const found: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--') return [...found, ...args.slice(index + 1)];
    if (!arg.startsWith('-')) found.push(arg);
  }
  return found;
}

const RPM_FILE = /\.rpm$/;
const DEB_FILE = /\.deb$/;

/**
 * The package files a command installs, whose maintainer scripts it runs as root: `dpkg -i F`,
 * `apt-get install ./F.deb`, `rpm -i|-U|-F F`, `yum|dnf|zypper install F.rpm`, `apk add
 * --allow-untrusted F` (apk refuses an unsigned package otherwise), `pacman -U F`.
 */
export function installedPackageFiles(command: ShellCommand): string[] {
  const args = command.args;
  switch (command.program) {
    case 'dpkg':
      return args.some((arg) => arg === '--install' || arg === '--unpack' || /^-[a-zA-Z]*i[a-zA-Z]*$/.test(arg)) ? operandsOf(args) : [];
    case 'apt':
    case 'apt-get':
      // A local package is named by a path (`./x.deb`, `/tmp/x.deb`): a bare name is a repository's package.
      return operandsOf(args)[0] === 'install' ? operandsOf(args).slice(1).filter((operand) => operand.includes('/') && DEB_FILE.test(operand)) : [];
    case 'rpm':
      return args.some((arg) => ['--install', '--upgrade', '--freshen', '--reinstall'].includes(arg) || /^-[iUF][a-zA-Z]*$/.test(arg)) ? operandsOf(args) : [];
    case 'yum':
    case 'dnf':
    case 'microdnf':
    case 'zypper': {
      const [verb, ...rest] = operandsOf(args);
      return verb === 'install' || verb === 'localinstall' || verb === 'reinstall' || verb === 'in' ? rest.filter((operand) => RPM_FILE.test(operand)) : [];
    }
    case 'apk':
      return operandsOf(args)[0] === 'add' && args.includes('--allow-untrusted') ? operandsOf(args).slice(1) : [];
    case 'pacman':
      return args.some((arg) => arg === '--upgrade' || /^-U[a-zA-Z]*$/.test(arg)) ? operandsOf(args) : [];
    default:
      return [];
  }
}
