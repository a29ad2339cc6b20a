import { defineRule } from '../define.js';
import { shownCommand } from '../shared/redact.js';
import { forEachImage, readHistory } from '../shared/images.js';
import { instructionsOf, programWords, splitShellCommands } from './support/history.js';

type PackageAction = 'update' | 'install';

/** Sub-commands that refresh package lists or upgrade what is installed, per package manager. */
const UPDATE_COMMANDS: Record<string, ReadonlySet<string>> = {
  apt: new Set(['update', 'upgrade', 'dist-upgrade', 'full-upgrade']),
  apk: new Set(['update', 'upgrade']),
  yum: new Set(['update', 'upgrade', 'makecache', 'check-update', 'distro-sync', 'update-minimal', 'upgrade-minimal']),
  zypper: new Set(['refresh', 'ref', 'update', 'up', 'dist-upgrade', 'dup', 'patch']),
};
/** Sub-commands that install packages (and so use fresh lists in the same layer). */
const INSTALL_COMMANDS: Record<string, ReadonlySet<string>> = {
  apt: new Set(['install', 'reinstall', 'build-dep', 'satisfy']),
  apk: new Set(['add', 'fix']),
  yum: new Set(['install', 'reinstall', 'groupinstall', 'localinstall', 'downgrade', 'group']),
  zypper: new Set(['install', 'in', 'source-install', 'si']),
};
const FAMILIES: Record<string, string> = {
  'apt-get': 'apt', apt: 'apt', aptitude: 'apt', apk: 'apk', yum: 'yum', dnf: 'yum', microdnf: 'yum', tdnf: 'yum', zypper: 'zypper',
};
/** Options that take the next word as their value when not written `--opt=value`. */
const OPTIONS_WITH_VALUE = new Set(['-o', '-c', '-t', '-x', '-R', '--root', '--installroot', '--releasever', '--setopt', '--enablerepo', '--disablerepo', '--exclude', '--repo', '--target-release', '--option']);

/** What one simple command does with packages, if anything. */
function packageAction(words: string[]): PackageAction | undefined {
  const [program = '', ...args] = programWords(words);
  if (program === 'pacman') {
    const sync = args.find((arg) => /^-[A-Za-z]*S/.test(arg));
    const upgrade = args.find((arg) => /^-[A-Za-z]*U/.test(arg));
    if (upgrade) return 'install';
    if (!sync) return undefined;
    return args.some((arg) => !arg.startsWith('-')) ? 'install' : /[yu]/.test(sync) ? 'update' : undefined;
  }
  const family = FAMILIES[program];
  if (!family) return undefined;
  let subcommand: string | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (OPTIONS_WITH_VALUE.has(arg)) index += 1;
    else if (!arg.startsWith('-')) {
      subcommand = arg;
      break;
    }
  }
  if (subcommand === undefined) return undefined;
  if (UPDATE_COMMANDS[family]?.has(subcommand)) return 'update';
  if (INSTALL_COMMANDS[family]?.has(subcommand)) return 'install';
  return undefined;
}

export default defineRule({
  meta: {
    id: 'DA403',
    alias: 'image-update-alone',
    family: 'image',
    title: 'Package updates are not alone in a RUN instruction',
    severity: 'low',
    rationale:
      'A RUN that only refreshes package lists (apt-get update) or upgrades packages is cached as its own layer: later builds reuse the stale lists or the old upgrade, and installs in the following instructions fetch outdated or vanished versions.',
    remediation:
      'Update and install in one RUN (RUN apt-get update && apt-get install -y pkg=1.2.3 && rm -rf /var/lib/apt/lists/*), or build with --no-cache / --pull when the point is to pick up updates.',
    references: { cis: ['4.7'], checklist: ['IMG-4'] },
    needs: ['images'],
    messages: {
      updateAlone: '{{count}} RUN instruction(s) update packages without installing any in the same instruction: {{commands}}',
      noUpdateAlone: 'no RUN instruction updates packages on its own ({{runs}} RUN instructions read)',
      noBuildHistory: 'the history records no build instruction (imported or committed image): nothing to check',
      historyUnavailable: 'image history unavailable: {{reason}}',
    },
  },
  check: forEachImage((image) => {
    const history = readHistory(image);
    if ('reason' in history) return { status: 'skipped', messageId: 'historyUnavailable', data: { reason: history.reason } };
    const instructions = instructionsOf(history.entries);
    if (!instructions.some((entry) => entry.instruction !== '')) return { status: 'info', messageId: 'noBuildHistory' };
    const runs = instructions.filter((entry) => entry.instruction === 'RUN');
    const flagged = runs.filter((run) => {
      const actions = splitShellCommands(run.args).map(packageAction);
      return actions.includes('update') && !actions.includes('install');
    });
    if (flagged.length === 0) return { status: 'pass', messageId: 'noUpdateAlone', data: { runs: runs.length } };
    return {
      status: 'warn',
      messageId: 'updateAlone',
      data: { count: flagged.length, commands: flagged.map((run) => `"${shownCommand(run.args, 80)}"`).join(', ') },
    };
  }),
});
