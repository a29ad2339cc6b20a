import type { ShellCommand } from '../../parsers/dockerfile/snapshot-dockerfiles.js';
import { defineRule } from '../define.js';
import { commandVariables, hasShort, longOption, optionValues, variablesOf, writtenFiles } from './support/commands.js';
import { allInstructions, forEachDockerfile, type FileVerdict } from './support/each.js';
import { tlsFileSetting, tlsVariable } from './support/insecure.js';
import { packageCommands } from './support/packages.js';

type Messages = 'verified' | 'disabled';

/** curl's short options that take a value: letters after them in a cluster are that value. */
const CURL_VALUED = 'bcCdDeEFHKmoOprQtTuUwxXyYz';
/** Options several tools share to skip certificate checks. */
const GENERIC_FLAG = /^--(insecure-skip-tls-verify(=true)?|tls-verify=false|no-verify-ssl|skip-tls-verify(=true)?|tlsverify=false)$/;

function commandSettings(command: ShellCommand): string[] {
  const args = command.args;
  const found: string[] = [];
  for (const variable of commandVariables(command)) {
    const setting = tlsVariable(variable.name, variable.value);
    if (setting) found.push(setting.label);
  }
  switch (command.program) {
    case 'curl':
      if (hasShort(args, 'k', CURL_VALUED) || longOption(args, 'insecure') !== undefined) found.push('curl --insecure');
      if (longOption(args, 'proxy-insecure') !== undefined) found.push('curl --proxy-insecure');
      break;
    case 'wget':
      if (longOption(args, 'no-check-certificate') !== undefined) found.push('wget --no-check-certificate');
      break;
    case 'npm':
    case 'yarn':
    case 'pnpm':
      if (/(^|\s)(--)?(strict-ssl|enableStrictSsl)(=|\s+)false\b/.test(args.join(' '))) found.push(`${command.program} strict-ssl false`);
      break;
    case 'git':
      if (args.some((arg, index) => (/^http\.(.+\.)?sslverify$/i.test(arg) && /^(false|0|no)$/i.test(args[index + 1] ?? '')) || /^http\.(.+\.)?sslverify=(false|0|no)$/i.test(arg))) found.push('git http.sslVerify false');
      break;
    case 'conda':
    case 'mamba':
      if (args.some((arg, index) => arg === 'ssl_verify' && /^(false|no|0)$/i.test(args[index + 1] ?? ''))) found.push(`${command.program} ssl_verify false`);
      break;
    case 'go':
      if (args.includes('-insecure')) found.push('go -insecure');
      break;
  }
  const setopt = optionValues(args, ['--setopt']).find((value) => /(^|\.)sslverify=(0|false|no)$/i.test(value));
  if (setopt) found.push(`${command.program} --setopt=${setopt}`);
  const flag = args.find((arg) => arg.startsWith('--') && GENERIC_FLAG.test(arg));
  if (flag) found.push(`${command.program} ${flag}`);
  return found;
}

function pipSettings(commands: readonly ShellCommand[]): string[] {
  return packageCommands(commands).flatMap((action) => {
    if (action.manager !== 'pip') return [];
    if (longOption(action.args, 'trusted-host', true) !== undefined) return ['pip --trusted-host'];
    if (action.subcommand === 'config' && action.args.some((arg) => /^(global|install|download)\.trusted-host$/.test(arg))) return ['pip config trusted-host'];
    return [];
  });
}

export default defineRule({
  meta: {
    id: 'DA818',
    alias: 'dockerfile-tls-verification-disabled',
    family: 'dockerfile',
    title: 'TLS certificate verification stays on',
    severity: 'high',
    rationale:
      'With certificate checks off, anyone on the network path of the build (or of the running app) can impersonate the server and hand it modified packages, scripts or responses.',
    remediation: 'Remove the option or variable that disables verification; if a private CA is involved, add its certificate to the image\'s trust store (update-ca-certificates) or point the tool at it (--cacert, cafile).',
    references: { cis: [], checklist: ['IMG-4', 'IMG-2'] },
    needs: ['dockerfiles'],
    messages: {
      verified: 'no TLS verification is disabled',
      disabled: '{{keyword}} disables TLS certificate verification: {{setting}}',
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
          const setting = tlsVariable(variable.name, variable.value);
          if (setting) settings.add(setting.label);
        }
        for (const command of commands) for (const setting of commandSettings(command)) settings.add(setting);
        for (const setting of pipSettings(commands)) settings.add(setting);
        for (const written of writtenFiles(commands)) {
          const setting = tlsFileSetting(written.file, written.content);
          if (setting) settings.add(setting.label);
        }
        for (const setting of settings) findings.push({ status: 'fail', messageId: 'disabled', data: { keyword: instruction.keyword, setting }, at: instruction });
      }
      return findings;
    },
    { history: true, pass: 'verified' },
  ),
});
