import { defineRule } from '../define.js';
import { longOption, optionValues, writtenFiles } from './support/commands.js';
import { forEachDockerfile, runsOf, shippedInstructions, type FileVerdict } from './support/each.js';
import { packageCommands } from './support/packages.js';

type Messages = 'noRecommends' | 'recommends';

const RECOMMENDS_OFF = /APT::Install-Recommends\s*(=\s*|\s+"?)(false|0|no)\b/i;

export default defineRule({
  meta: {
    id: 'DA813',
    alias: 'dockerfile-install-recommends',
    family: 'dockerfile',
    title: 'apt installs only the packages asked for',
    severity: 'low',
    rationale:
      'By default apt also installs every recommended package: more software in the image means more vulnerabilities to patch and more tools for an attacker, for nothing the application asked for.',
    remediation: 'Use apt-get install -y --no-install-recommends ..., or set APT::Install-Recommends "false" in /etc/apt/apt.conf.d before installing.',
    references: { cis: [], checklist: ['IMG-4'], related: ['4.3'] },
    needs: ['dockerfiles'],
    messages: {
      noRecommends: 'no apt install pulls in recommended packages',
      recommends: '{{command}} without --no-install-recommends also installs recommended packages',
    },
  },
  check: forEachDockerfile(
    (model) => {
      let configured = false;
      return runsOf(shippedInstructions(model)).flatMap(({ instruction, commands }): FileVerdict<Messages>[] => {
        // A RUN that writes the apt setting turns recommends off for the RUNs after it.
        const writesSetting = writtenFiles(commands).some((written) => RECOMMENDS_OFF.test(written.content));
        const found = configured
          ? []
          : packageCommands(commands).filter(
              (action) =>
                action.manager === 'apt' &&
                action.verb === 'install' &&
                longOption(action.args, 'no-install-recommends') === undefined &&
                !optionValues(action.args, ['-o', '--option']).some((value) => RECOMMENDS_OFF.test(value)),
            );
        configured ||= writesSetting;
        return found.slice(0, 1).map((action) => ({ status: 'warn', messageId: 'recommends', data: { command: `${action.program} ${action.subcommand}` }, at: instruction }));
      });
    },
    { history: true, pass: 'noRecommends', needsStage: true },
  ),
});
