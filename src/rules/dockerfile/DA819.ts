import type { ShellCommand } from '../../parsers/dockerfile/snapshot-dockerfiles.js';
import { defineRule } from '../define.js';
import { commandVariables, longOption, optionValues, variablesOf, writtenFiles } from './support/commands.js';
import { allInstructions, forEachDockerfile, type FileVerdict } from './support/each.js';
import { signatureFileSetting, signatureVariable } from './support/insecure.js';

type Messages = 'verified' | 'disabled';

const APT_PROGRAMS: ReadonlySet<string> = new Set(['apt-get', 'apt', 'aptitude']);
const RPM_PROGRAMS: ReadonlySet<string> = new Set(['yum', 'dnf', 'microdnf', 'tdnf', 'yum-config-manager']);
const TRUSTED_SOURCE = /(^|\s)deb(-src)?\s+\[[^\]]*\b(trusted|allow-insecure|allow-weak)=yes\b/;

function commandSettings(command: ShellCommand): string[] {
  const args = command.args;
  const found: string[] = [];
  for (const variable of commandVariables(command)) {
    const setting = signatureVariable(variable.name, variable.value);
    if (setting) found.push(setting.label);
  }
  if (APT_PROGRAMS.has(command.program)) {
    for (const option of ['allow-unauthenticated', 'allow-insecure-repositories', 'force-yes']) {
      if (longOption(args, option) !== undefined) found.push(`${command.program} --${option}`);
    }
    const apt = optionValues(args, ['-o', '--option']).find((value) => /(AllowUnauthenticated|AllowInsecureRepositories)=(true|1|yes)/i.test(value));
    if (apt) found.push(`${command.program} -o ${apt}`);
  }
  if (command.program === 'apk' && longOption(args, 'allow-untrusted') !== undefined) found.push('apk --allow-untrusted');
  if (command.program === 'rpm' || command.program === 'rpmkeys') {
    for (const option of ['nosignature', 'nodigest']) if (longOption(args, option) !== undefined) found.push(`${command.program} --${option}`);
  }
  if (RPM_PROGRAMS.has(command.program) || (command.program === 'dnf' && args[0] === 'config-manager')) {
    if (longOption(args, 'nogpgcheck') !== undefined) found.push(`${command.program} --nogpgcheck`);
  }
  if (command.program === 'zypper' && longOption(args, 'no-gpg-checks') !== undefined) found.push('zypper --no-gpg-checks');
  const setopt = optionValues(args, ['--setopt']).find((value) => /(^|\.)(repo_)?gpgcheck=(0|false|no)$/i.test(value));
  if (setopt) found.push(`${command.program} --setopt=${setopt}`);
  if (command.program === 'sed' && args.some((arg) => /gpgcheck\s*=\s*0/.test(arg) && !arg.startsWith('/'))) found.push('gpgcheck=0 written with sed');
  if (command.argv.some((word) => TRUSTED_SOURCE.test(word.value))) found.push('[trusted=yes] in an APT source');
  return found;
}

export default defineRule({
  meta: {
    id: 'DA819',
    alias: 'dockerfile-signature-check-disabled',
    family: 'dockerfile',
    title: 'Package signature checks stay on',
    severity: 'high',
    rationale:
      'Package managers verify signatures so that a mirror, proxy or attacker on the path cannot substitute packages; turning the check off installs whatever arrives, as root, into the image.',
    remediation: 'Remove the option; import the repository\'s signing key (signed-by= for APT, gpgkey= for yum/dnf, /etc/apk/keys for apk) so the packages verify.',
    references: { cis: [], checklist: ['IMG-4', 'IMG-2'], related: ['4.11'] },
    needs: ['dockerfiles'],
    messages: {
      verified: 'no package signature check is disabled',
      disabled: '{{keyword}} disables package signature verification: {{setting}}',
    },
  },
  check: forEachDockerfile(
    (model) => {
      const findings: FileVerdict<Messages>[] = [];
      for (const instruction of allInstructions(model)) {
        if (instruction.script === undefined && instruction.pairs === undefined && instruction.buildArgs === undefined) continue;
        const commands = instruction.script?.commands ?? [];
        const settings = new Set<string>();
        for (const variable of variablesOf(instruction)) {
          const setting = signatureVariable(variable.name, variable.value);
          if (setting) settings.add(setting.label);
        }
        for (const command of commands) for (const setting of commandSettings(command)) settings.add(setting);
        for (const written of writtenFiles(commands)) {
          const setting = signatureFileSetting(written.file, written.content);
          if (setting) settings.add(setting.label);
        }
        for (const setting of settings) findings.push({ status: 'fail', messageId: 'disabled', data: { keyword: instruction.keyword, setting }, at: instruction });
      }
      return findings;
    },
    { history: true, pass: 'verified' },
  ),
});
