import { flagOptions, type DockerfileInstruction, type ShellCommand } from '../../parsers/dockerfile/snapshot-dockerfiles.js';
import { defineRule } from '../define.js';
import { assignmentsOf, longOption, operands } from './support/commands.js';
import { forEachDockerfile, runsOf, shippedInstructions, type FileVerdict } from './support/each.js';
import { packageCommands, type Manager, type PackageCommand } from './support/packages.js';

type Messages = 'noCache' | 'aptLists' | 'apkCache' | 'yumCache' | 'zypperCache' | 'pipCache';

/** Where each manager keeps what it downloads; a RUN that removes it or mounts a cache there leaves nothing. */
const CACHE_PATHS: Readonly<Record<Manager, readonly string[]>> = {
  apt: ['/var/lib/apt/lists'],
  apk: ['/var/cache/apk', '/etc/apk/cache'],
  yum: ['/var/cache/yum', '/var/cache/dnf', '/var/cache/microdnf', '/var/cache/tdnf'],
  zypper: ['/var/cache/zypp'],
  pip: ['/root/.cache', '~/.cache', '$HOME/.cache', '${HOME}/.cache'],
};

function covers(path: string, cache: string): boolean {
  const normalised = path.replace(/\/+$/, '');
  return normalised === cache || normalised.startsWith(`${cache}/`) || cache.startsWith(`${normalised}/`);
}

function cacheMounted(instruction: DockerfileInstruction, manager: Manager): boolean {
  return instruction.flags.some((flag) => {
    if (flag.name !== 'mount') return false;
    const options = flagOptions(flag.value);
    const target = options['target'] ?? options['dst'] ?? options['destination'] ?? '';
    return (options['type'] === 'cache' || options['type'] === 'tmpfs') && CACHE_PATHS[manager].some((cache) => covers(target, cache));
  });
}

function cacheRemoved(commands: readonly ShellCommand[], manager: Manager): boolean {
  return commands.some((command) => {
    if (command.program === 'rm' || (command.program === 'find' && command.args.includes('-delete'))) {
      return operands(command.args).some((path) => CACHE_PATHS[manager].some((cache) => covers(path.replace(/\/?\*$/, ''), cache)));
    }
    return false;
  });
}

function turnsPipCacheOff(name: string, value: string | undefined): boolean {
  return name === 'PIP_NO_CACHE_DIR' && value !== undefined && !/^(0|false|no)?$/i.test(value);
}

/** The instructions before which an ENV or ARG has set PIP_NO_CACHE_DIR, found in one pass. */
function pipCacheOffBefore(shipped: readonly DockerfileInstruction[]): Set<DockerfileInstruction> {
  const off = new Set<DockerfileInstruction>();
  let set = false;
  for (const instruction of shipped) {
    if (set) off.add(instruction);
    else if ((instruction.keyword === 'ENV' || instruction.keyword === 'ARG') && (instruction.pairs ?? []).some((pair) => turnsPipCacheOff(pair.key, pair.value))) set = true;
  }
  return off;
}

/** PIP_NO_CACHE_DIR set by ENV or ARG before the RUN (`offBefore`), or on the command itself. */
function pipCacheOff(offBefore: boolean, command: ShellCommand): boolean {
  return offBefore || assignmentsOf(command).some((assignment) => turnsPipCacheOff(assignment.name, assignment.value));
}

function leavesCache(action: PackageCommand, cleaned: ReadonlySet<Manager>, offBefore: boolean): boolean {
  switch (action.manager) {
    case 'apt':
      return action.verb === 'install' || action.verb === 'upgrade';
    case 'apk':
      return action.verb === 'install' && !action.args.includes('--no-cache');
    case 'yum':
    case 'zypper':
      return (action.verb === 'install' || action.verb === 'upgrade') && !cleaned.has(action.manager);
    case 'pip':
      return (
        action.verb === 'install' &&
        longOption(action.args, 'no-cache-dir') === undefined &&
        longOption(action.args, 'no-cache') === undefined &&
        !cleaned.has('pip') &&
        !pipCacheOff(offBefore, action.command)
      );
  }
}

const MESSAGE: Readonly<Record<Manager, Messages>> = { apt: 'aptLists', apk: 'apkCache', yum: 'yumCache', zypper: 'zypperCache', pip: 'pipCache' };

export default defineRule({
  meta: {
    id: 'DA812',
    alias: 'dockerfile-package-cache',
    family: 'dockerfile',
    title: 'Package manager caches are not left in the shipped image',
    severity: 'low',
    rationale:
      'Package indexes and downloaded packages left in a layer make the image larger and ship stale metadata; deleting them in a later RUN does not shrink the earlier layer.',
    remediation: 'Clean up in the same RUN (rm -rf /var/lib/apt/lists/*, apk add --no-cache, dnf clean all, zypper clean -a, pip install --no-cache-dir) or use a RUN --mount=type=cache for the cache directory.',
    references: { cis: [], checklist: ['IMG-4'] },
    needs: ['dockerfiles'],
    messages: {
      noCache: 'no package manager cache is left in the shipped image',
      aptLists: '{{command}} without removing /var/lib/apt/lists/* in the same RUN',
      apkCache: '{{command}} without --no-cache: the package index stays in /var/cache/apk',
      yumCache: '{{command}} without {{program}} clean all in the same RUN',
      zypperCache: '{{command}} without zypper clean in the same RUN',
      pipCache: '{{command}} without --no-cache-dir: downloaded wheels stay in the pip cache',
    },
  },
  check: forEachDockerfile(
    (model) => {
      const shipped = shippedInstructions(model);
      const pipOff = pipCacheOffBefore(shipped);
      return runsOf(shipped).flatMap(({ instruction, commands }): FileVerdict<Messages>[] => {
        const actions = packageCommands(commands);
        const cleaned = new Set(actions.filter((other) => other.verb === 'clean').map((other) => other.manager));
        // Managers judged already in this RUN: each is reported, or found clean, once.
        const judged = new Set<Manager>();
        return actions.flatMap((action): FileVerdict<Messages>[] => {
          if (judged.has(action.manager) || !leavesCache(action, cleaned, pipOff.has(instruction))) return [];
          judged.add(action.manager);
          if (cacheMounted(instruction, action.manager) || cacheRemoved(commands, action.manager)) return [];
          return [{ status: 'warn', messageId: MESSAGE[action.manager], data: { command: `${action.program} ${action.subcommand}`, program: action.program }, at: instruction }];
        });
      });
    },
    { history: true, pass: 'noCache', needsStage: true },
  ),
});
