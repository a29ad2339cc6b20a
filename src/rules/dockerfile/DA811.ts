import { defineRule } from '../define.js';
import { allInstructions, forEachDockerfile, runsOf, type FileVerdict } from './support/each.js';
import { packageCommands } from './support/packages.js';

type Messages = 'noUpdateAlone' | 'updateAlone';

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
        return actions
          .filter((action) => action.verb === 'update' && !installing.has(action.manager))
          .slice(0, 1)
          .map((action) => ({ status: 'fail', messageId: 'updateAlone', data: { command: `${action.program} ${action.subcommand}` }, at: instruction }));
      }),
    { pass: 'noUpdateAlone' },
  ),
});
