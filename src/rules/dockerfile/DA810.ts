import { defineRule } from '../define.js';
import { allInstructions, forEachDockerfile, runsOf, shippedInstructions, type FileVerdict } from './support/each.js';
import { packageCommands } from './support/packages.js';

type Messages = 'noSudo' | 'sudo' | 'sudoInstalled';

export default defineRule({
  meta: {
    id: 'DA810',
    alias: 'dockerfile-sudo',
    family: 'dockerfile',
    title: 'Dockerfiles do not use or ship sudo',
    severity: 'medium',
    rationale:
      'Build steps already run as the USER in effect, so sudo adds nothing but its own TTY and signal quirks; shipped in the image, sudo hands any process that compromises the app user a documented way to root.',
    remediation: 'Switch with USER root for the steps that need it and back to the unprivileged user afterwards; at run time use gosu or su-exec in the entrypoint, and do not install sudo.',
    references: { cis: [], checklist: ['IMG-4', 'ENV-2'] },
    needs: ['dockerfiles'],
    messages: {
      noSudo: 'no sudo',
      sudo: '{{keyword}} runs {{program}} through sudo',
      sudoInstalled: '{{manager}} installs sudo into the shipped image',
    },
  },
  check: forEachDockerfile(
    (model) => {
      const findings: FileVerdict<Messages>[] = [];
      for (const instruction of allInstructions(model)) {
        const command = instruction.script?.commands.find((candidate) => candidate.program === 'sudo' || candidate.wrappers.includes('sudo'));
        if (command) findings.push({ status: 'fail', messageId: 'sudo', data: { keyword: instruction.keyword, program: command.program }, at: instruction });
      }
      for (const { instruction, commands } of runsOf(shippedInstructions(model))) {
        for (const item of packageCommands(commands)) {
          if (item.verb === 'install' && item.manager !== 'pip' && item.packages.includes('sudo')) findings.push({ status: 'warn', messageId: 'sudoInstalled', data: { manager: item.program }, at: instruction });
        }
      }
      return findings;
    },
    { history: true, pass: 'noSudo' },
  ),
});
