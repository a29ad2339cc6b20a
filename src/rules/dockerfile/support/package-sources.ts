/**
 * Where package managers in RUN commands take packages from: the package indexes they are told
 * to use (so a plain-HTTP index can be reported: pip and npm do not check what an index sends
 * them against any signature), and the package files they install (so a downloaded .deb or .rpm
 * installed unverified, whose maintainer scripts run as root, can be reported as a downloaded
 * script run). Built on the option readers of commands.ts and the manager commands of packages.ts.
 */
import type { ShellCommand } from '../../../parsers/dockerfile/snapshot-dockerfiles.js';
import { assignmentsOf, operands, optionValues } from './commands.js';
import { packageCommands } from './packages.js';

/** A package index a command (or an ENV/ARG setting) points a package manager at. */
export interface PackageIndex {
  /** The package manager, as messages name it: `pip`, `npm`, `yarn`, `pnpm`, `gem`. */
  tool: string;
  url: string;
}

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

/** pip checks every file against a hash given with it: the index is then not what integrity rests on. */
function pipChecksHashes(args: readonly string[]): boolean {
  return args.some((arg) => arg === '--require-hashes' || arg === '--hash' || arg.startsWith('--hash='));
}

/** The package indexes an ENV or ARG pair (or an assignment before a command) sets: PIP_INDEX_URL, NPM_CONFIG_REGISTRY… */
export function packageIndexesOfSetting(name: string, value: string): PackageIndex[] {
  const tool = INDEX_VARIABLES.get(name);
  // PIP_EXTRA_INDEX_URL and the like may list several, separated by blanks.
  return tool === undefined ? [] : value.split(/\s+/).flatMap((url) => (url === '' ? [] : [{ tool, url }]));
}

/**
 * The package indexes the commands of a script set, by option or by setting (`pip config set
 * global.index-url`, `npm config set registry`, `NAME=value` before a command): none for a pip
 * that checks hashes, whatever its settings.
 */
export function packageIndexesOf(commands: readonly ShellCommand[]): PackageIndex[] {
  const found: PackageIndex[] = [];
  const hashed = new Set<ShellCommand>();
  for (const pip of packageCommands(commands)) {
    if (pip.manager !== 'pip') continue;
    if (pipChecksHashes(pip.args)) {
      hashed.add(pip.command);
      continue;
    }
    for (const url of optionValues(pip.args, ['--index-url', '--extra-index-url', '--find-links', '-i', '-f'])) found.push({ tool: 'pip', url });
    const [verb, action, key, value] = operands(pip.args);
    if (verb === 'config' && action === 'set' && /(^|\.)(index-url|extra-index-url|find-links)$/.test(key ?? '')) found.push(...packageIndexesOfSetting('PIP_INDEX_URL', value ?? ''));
  }
  for (const command of commands) {
    if (hashed.has(command)) continue;
    for (const { name, value } of assignmentsOf(command)) found.push(...packageIndexesOfSetting(name, value));
    const args = command.args;
    if (NODE_MANAGERS.has(command.program)) {
      const tool = command.program;
      for (const url of optionValues(args, ['--registry'])) found.push({ tool, url });
      // `npm config set registry URL`, `npm config set registry=URL`, `yarn config set npmRegistryServer URL`.
      if (args[0] === 'config' && args[1] === 'set') {
        const key = args[2] ?? '';
        if (key === 'registry' || key === 'npmRegistryServer') found.push({ tool, url: args[3] ?? '' });
        else if (key.startsWith('registry=')) found.push({ tool, url: key.slice('registry='.length) });
      }
    } else if (command.program === 'gem') {
      for (const url of args[0] === 'sources' ? optionValues(args, ['--add', '-a']) : optionValues(args, ['--source', '-s'])) found.push({ tool: 'gem', url });
    }
  }
  return found;
}

const installed = new WeakMap<readonly ShellCommand[], Map<ShellCommand, string[]>>();

/**
 * The package files each command of a script installs, whose maintainer scripts it runs as root
 * (remembered per script, read once): `dpkg -i F`, `apt-get install ./F.deb` (a path: a bare name
 * is a repository's package, which apt checks), `yum|dnf|zypper install F.rpm`, `apk add
 * --allow-untrusted F` (apk refuses an unsigned package otherwise), `rpm -i|-U|-F F`, `pacman -U F`.
 */
export function installedPackageFiles(commands: readonly ShellCommand[]): ReadonlyMap<ShellCommand, string[]> {
  let known = installed.get(commands);
  if (known !== undefined) return known;
  known = new Map();
  for (const action of packageCommands(commands)) {
    if (action.verb !== 'install') continue;
    const files =
      action.manager === 'apt'
        ? action.packages.filter((operand) => operand.includes('/') && operand.endsWith('.deb'))
        : action.manager === 'yum' || action.manager === 'zypper'
          ? action.packages.filter((operand) => operand.endsWith('.rpm'))
          : action.manager === 'apk' && action.args.includes('--allow-untrusted')
            ? action.packages
            : [];
    if (files.length > 0) known.set(action.command, files);
  }
  for (const command of commands) {
    const args = command.args;
    const installs =
      command.program === 'dpkg'
        ? args.some((arg) => arg === '--install' || arg === '--unpack' || /^-[a-zA-Z]*i[a-zA-Z]*$/.test(arg))
        : command.program === 'rpm'
          ? args.some((arg) => ['--install', '--upgrade', '--freshen', '--reinstall'].includes(arg) || /^-[iUF][a-zA-Z]*$/.test(arg))
          : command.program === 'pacman' && args.some((arg) => arg === '--upgrade' || /^-U[a-zA-Z]*$/.test(arg));
    if (installs) known.set(command, operands(args));
  }
  installed.set(commands, known);
  return known;
}
