import type { ShellCommand } from '../../parsers/dockerfile/snapshot-dockerfiles.js';
import { defineRule } from '../define.js';
import { optionValues, upstreamRunning } from './support/commands.js';
import { allInstructions, forEachDockerfile, type FileVerdict } from './support/each.js';

type Messages = 'noPassword' | 'passwordSet' | 'passwordOption' | 'emptyPassword';

const FEEDERS: ReadonlySet<string> = new Set(['echo', 'printf', 'cat']);
const LOCKED = /^(\*|!+|!\*|x)$/;

/** What a command does to an account password, if anything. */
function passwordVerdict(commands: readonly ShellCommand[], command: ShellCommand): FileVerdict<Messages> | undefined {
  if (command.program === 'chpasswd' || (command.program === 'passwd' && command.args.includes('--stdin'))) {
    const fed = command.redirects.some((redirect) => redirect.heredoc !== undefined || redirect.operator === '<<<') || upstreamRunning(commands, command, FEEDERS) !== undefined;
    return fed ? { status: 'fail', messageId: 'passwordSet', data: { program: command.program } } : undefined;
  }
  if (command.program === 'passwd' && (command.args.includes('-d') || command.args.includes('--delete'))) {
    return { status: 'fail', messageId: 'emptyPassword', data: { program: 'passwd', option: '--delete' } };
  }
  if (command.program === 'useradd' || command.program === 'usermod' || command.program === 'adduser') {
    const value = optionValues(command.args, ['-p', '--password'])[0];
    if (value === undefined || LOCKED.test(value)) return undefined;
    return value === ''
      ? { status: 'fail', messageId: 'emptyPassword', data: { program: command.program, option: '--password ""' } }
      : { status: 'fail', messageId: 'passwordOption', data: { program: command.program, option: '--password' } };
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'DA820',
    alias: 'dockerfile-password-set',
    family: 'dockerfile',
    title: 'No account password is set in the image',
    severity: 'high',
    rationale:
      'A password set while building is written in the Dockerfile (and its repository) and its hash ships in /etc/shadow of every container; an empty password lets anyone who reaches a login prompt or su in.',
    remediation: 'Leave image accounts locked (no password); authenticate services with secrets injected at run time, and never log in to containers with passwords.',
    references: { cis: [], checklist: ['IMG-4', 'ENV-2'] },
    needs: ['dockerfiles'],
    messages: {
      noPassword: 'no account password is set',
      passwordSet: '{{program}} sets an account password from text in the Dockerfile',
      passwordOption: '{{program}} {{option}} sets an account password hash in the Dockerfile',
      emptyPassword: '{{program}} {{option}} leaves an account without a password',
    },
  },
  check: forEachDockerfile(
    (model) => {
      const findings: FileVerdict<Messages>[] = [];
      for (const instruction of allInstructions(model)) {
        const commands = instruction.script?.commands ?? [];
        for (const command of commands) {
          const verdict = passwordVerdict(commands, command);
          if (verdict) findings.push({ ...verdict, at: instruction });
        }
      }
      return findings;
    },
    { history: true, pass: 'noPassword' },
  ),
});
