/**
 * Package manager commands in a RUN: which manager, what it does (install, update the index,
 * upgrade, clean) and with which packages, however it is spelled (`apt-get -y install`,
 * `sudo apk add --no-cache`, `python3 -m pip install`, `zypper --non-interactive in`).
 */
import type { ShellCommand } from '../../../parsers/dockerfile/snapshot-dockerfiles.js';
import { operands } from './commands.js';

export type Manager = 'apt' | 'apk' | 'yum' | 'zypper' | 'pip';

export type PackageVerb = 'install' | 'update' | 'upgrade' | 'clean' | 'remove' | 'other';

export interface PackageCommand {
  manager: Manager;
  /** The program as written (`apt-get`, `dnf`, `pip3`, `python3 -m pip`). */
  program: string;
  verb: PackageVerb;
  /** The subcommand as written (`install`, `in`, `makecache`...). */
  subcommand: string;
  /** Arguments after the program (pip: after `-m pip`). */
  args: string[];
  /** Package operands, versions stripped (`curl=7.88.1-10` → `curl`). */
  packages: string[];
  command: ShellCommand;
}

interface ManagerSpec {
  manager: Manager;
  /** Options taking a value, before or after the subcommand. */
  valued: ReadonlySet<string>;
  verbs: Readonly<Record<string, PackageVerb>>;
}

const APT: ManagerSpec = {
  manager: 'apt',
  valued: new Set(['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release']),
  verbs: { install: 'install', update: 'update', upgrade: 'upgrade', 'dist-upgrade': 'upgrade', 'full-upgrade': 'upgrade', clean: 'clean', autoclean: 'clean', remove: 'remove', purge: 'remove', autoremove: 'remove', 'build-dep': 'install', reinstall: 'install' },
};
const APK: ManagerSpec = {
  manager: 'apk',
  valued: new Set(['-X', '--repository', '-p', '--root', '--cache-dir', '-t', '--virtual', '--keys-dir', '--arch', '--repositories-file']),
  verbs: { add: 'install', update: 'update', upgrade: 'upgrade', del: 'remove', cache: 'clean', fix: 'other' },
};
const YUM: ManagerSpec = {
  manager: 'yum',
  valued: new Set(['-c', '--config', '-x', '--exclude', '-d', '-e', '--installroot', '--releasever', '--enablerepo', '--disablerepo', '--repo', '--repoid']),
  verbs: {
    install: 'install', groupinstall: 'install', localinstall: 'install', reinstall: 'install', update: 'upgrade', upgrade: 'upgrade', 'update-minimal': 'upgrade', 'distro-sync': 'upgrade',
    makecache: 'update', 'check-update': 'update', clean: 'clean', remove: 'remove', erase: 'remove', autoremove: 'remove', module: 'other',
  },
};
const ZYPPER: ManagerSpec = {
  manager: 'zypper',
  valued: new Set(['-R', '--root', '-c', '--config', '-D', '--reposd-dir', '-C', '--cache-dir', '-r', '--repo', '-t', '--type']),
  verbs: { install: 'install', in: 'install', refresh: 'update', ref: 'update', update: 'upgrade', up: 'upgrade', 'dist-upgrade': 'upgrade', dup: 'upgrade', patch: 'upgrade', clean: 'clean', cc: 'clean', remove: 'remove', rm: 'remove' },
};
const PIP: ManagerSpec = {
  manager: 'pip',
  valued: new Set(['-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '--trusted-host', '-t', '--target', '--prefix', '--root', '-e', '--editable', '-f', '--find-links', '--cache-dir', '--python-version', '--platform', '--only-binary', '--no-binary', '--proxy', '--src']),
  verbs: { install: 'install', download: 'other', uninstall: 'remove', cache: 'clean', wheel: 'other', config: 'other' },
};

const PROGRAMS: Readonly<Record<string, ManagerSpec>> = {
  'apt-get': APT,
  apt: APT,
  apk: APK,
  yum: YUM,
  dnf: YUM,
  microdnf: YUM,
  tdnf: YUM,
  zypper: ZYPPER,
};

const PYTHON = /^python(\d+(\.\d+)?)?$/;
const PIP_PROGRAM = /^pip(\d+(\.\d+)?)?$/;

/** The manager a command runs and the arguments it gets, when it is one. */
function managerOf(command: ShellCommand): { spec: ManagerSpec; program: string; args: string[] } | undefined {
  const spec = PROGRAMS[command.program];
  if (spec) return { spec, program: command.program, args: command.args };
  if (command.program.startsWith('pip') && PIP_PROGRAM.test(command.program)) return { spec: PIP, program: command.program, args: command.args };
  if (command.program.startsWith('python') && PYTHON.test(command.program)) {
    const module = pythonModule(command.args);
    const name = command.args[module + 1] ?? '';
    if (module >= 0 && /^pip\d*$/.test(name)) return { spec: PIP, program: `${command.program} -m ${name}`, args: command.args.slice(module + 2) };
  }
  // `uv pip install` keeps pip's interface.
  if (command.program === 'uv' && command.args[0] === 'pip') return { spec: PIP, program: 'uv pip', args: command.args.slice(1) };
  return undefined;
}

/** Index of the `-m` of `python [options] -m module`; -1 when a script (`python x.py -m pip`) or nothing comes first. */
function pythonModule(args: readonly string[]): number {
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '-m') return index;
    if (arg === '-W' || arg === '-X') index += 1;
    else if (!arg.startsWith('-') || arg === '-' || arg === '-c') return -1;
  }
  return -1;
}

/** `curl=7.88.1-10`, `openssh~9.3`, `requests==2.31`, `flask>=2` → the package name. */
export function packageName(operand: string): string {
  return operand.replace(/\[.*$/, '').split(/[=<>~!;@]/)[0]?.trim() ?? operand;
}

const found = new WeakMap<readonly ShellCommand[], PackageCommand[]>();

/** The package manager commands among `commands` (a script's list; remembered, as several rules ask). */
export function packageCommands(commands: readonly ShellCommand[]): PackageCommand[] {
  let known = found.get(commands);
  if (known === undefined) {
    known = readPackageCommands(commands);
    found.set(commands, known);
  }
  return known;
}

function readPackageCommands(commands: readonly ShellCommand[]): PackageCommand[] {
  const actions: PackageCommand[] = [];
  for (const command of commands) {
    const found = managerOf(command);
    if (!found) continue;
    const words = operands(found.args, found.spec.valued);
    const subcommand = words[0] ?? '';
    const verb = found.spec.verbs[subcommand] ?? 'other';
    actions.push({ manager: found.spec.manager, program: found.program, verb, subcommand, args: found.args, packages: words.slice(1).map(packageName), command });
  }
  return actions;
}
