import { defineRule } from '../define.js';
import { allInstructions, forEachDockerfile, runsOf, type FileVerdict } from './support/each.js';
import type { ShellCommand } from '../../parsers/dockerfile/snapshot-dockerfiles.js';
import { packageCommands, type PackageCommand } from './support/packages.js';

type Messages = 'noUpdateAlone' | 'updateAlone';

/** Where each manager keeps the index an update downloads. */
const INDEX_DIRECTORIES: Record<string, RegExp> = {
  apt: /^\/var\/lib\/apt\/lists(\/|$)/,
  apk: /^\/var\/cache\/apk(\/|$)/,
  yum: /^\/var\/cache\/(yum|dnf)(\/|$)/,
  zypper: /^\/var\/cache\/zypp(\/|$)/,
};

/**
 * Managers whose index the RUN throws away again (`rm -rf /var/lib/apt/lists/*`, `dnf clean
 * all`, `zypper clean --all`): no index stays in the layer, so none can go stale in the cache.
 */
function discardedIndexes(commands: readonly ShellCommand[], actions: readonly PackageCommand[]): Set<string> {
  const discarded = new Set<string>();
  for (const action of actions) {
    if (action.verb !== 'clean') continue;
    // `apt-get clean` empties the archive cache only: the lists stay.
    if (action.manager === 'yum' && action.args.some((arg) => arg === 'all' || arg === 'metadata')) discarded.add('yum');
    if (action.manager === 'zypper' && action.args.some((arg) => ['-a', '--all', '-m', '--metadata'].includes(arg))) discarded.add('zypper');
  }
  for (const command of commands) {
    if (command.program !== 'rm') continue;
    for (const path of command.args) {
      for (const [manager, directory] of Object.entries(INDEX_DIRECTORIES)) if (directory.test(path)) discarded.add(manager);
    }
  }
  return discarded;
}

export default defineRule({
  meta: {
    id: 'DA811',
    alias: 'dockerfile-update-alone',
    family: 'dockerfile',
    title: 'Package index updates run with the install that needs them',
    severity: 'medium',
    rationale:
      'A RUN that only refreshes the package index is cached as its own layer: later builds reuse the old index and install outdated packages, missing security fixes, without any error.',
    remediation: 'Refresh and install in the same RUN: apt-get update && apt-get install -y ..., apk add --no-cache ..., dnf install -y ....',
    references: { cis: [], checklist: ['IMG-4', 'UPD-1'], related: ['4.7'] },
    needs: ['dockerfiles'],
    messages: {
      noUpdateAlone: 'every package index update is followed by an install in the same RUN',
      updateAlone: '{{command}} runs in a RUN without an install or upgrade: the cached index goes stale',
    },
  },
  check: forEachDockerfile(
    (model) =>
      runsOf(allInstructions(model)).flatMap(({ instruction, commands }): FileVerdict<Messages>[] => {
        const actions = packageCommands(commands);
        const installing = new Set(actions.filter((other) => other.verb === 'install' || other.verb === 'upgrade').map((other) => other.manager));
        for (const manager of discardedIndexes(commands, actions)) installing.add(manager as PackageCommand['manager']);
        return actions
          .filter((action) => action.verb === 'update' && !installing.has(action.manager))
          .slice(0, 1)
          .map((action) => ({ status: 'fail', messageId: 'updateAlone', data: { command: `${action.program} ${action.subcommand}` }, at: instruction }));
      }),
    { pass: 'noUpdateAlone' },
  ),
});
