import { POSIX_SHELLS, shellReadsStdin, shellScriptArgument, type ShellCommand } from '../../snapshot/dockerfile.js';
import { defineRule } from '../define.js';
import { descendantsOf, operands, upstreamOf } from './support/commands.js';
import { allInstructions, forEachDockerfile, type FileVerdict } from './support/each.js';

type Messages = 'noRemoteScript' | 'piped' | 'substituted';

const DOWNLOADERS: ReadonlySet<string> = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'iwr', 'Invoke-WebRequest']);
const INTERPRETERS = /^(python[\d.]*|perl[\d.]*|ruby[\d.]*|node|nodejs|php[\d.]*)$/;

/** Whether the command runs a script it reads from standard input. */
function runsStdin(command: ShellCommand): boolean {
  if (POSIX_SHELLS.has(command.program)) return shellReadsStdin(command.program, command.args);
  if (!INTERPRETERS.test(command.program)) return false;
  if (command.args.some((arg) => /^-[A-Za-z]*[cemE]$/.test(arg) || arg === '--eval')) return false;
  const script = operands(command.args)[0];
  return script === undefined || script === '-';
}

/** The words of a command that it runs as code: a shell's -c script, eval's arguments, a sourced file. */
function codeWords(command: ShellCommand): number[] {
  const argumentWords = command.argv.slice(command.programIndex + 1);
  if (command.program === 'eval') return argumentWords.flatMap((word) => word.substitutions);
  if (command.program === 'source' || command.program === '.') return argumentWords[0]?.substitutions ?? [];
  if (POSIX_SHELLS.has(command.program) || INTERPRETERS.test(command.program)) {
    const script = shellScriptArgument(command.program, command.args);
    if (script >= 0) return argumentWords[script]?.substitutions ?? [];
    const first = operands(command.args)[0];
    const index = first === undefined ? -1 : command.args.indexOf(first);
    return index >= 0 ? (argumentWords[index]?.substitutions ?? []) : [];
  }
  return [];
}

export default defineRule({
  meta: {
    id: 'DA809',
    alias: 'dockerfile-remote-script',
    family: 'dockerfile',
    title: 'No downloaded script is run unverified',
    severity: 'high',
    rationale:
      'curl ... | sh runs whatever the server (or anyone between it and the build) returns at that moment, with the build\'s privileges, and leaves no copy to review: the image is only as trustworthy as that URL on that day.',
    remediation: 'Download the script to a file, verify its checksum or signature, then run it; better, install the software from a package repository or a release archive whose digest is pinned.',
    references: { cis: [], checklist: ['IMG-4'] },
    needs: ['dockerfiles'],
    messages: {
      noRemoteScript: 'no downloaded script is run unverified',
      piped: '{{downloader}} output is piped into {{interpreter}}: the downloaded script runs unverified',
      substituted: '{{interpreter}} runs code downloaded by {{downloader}} in a command substitution, unverified',
    },
  },
  check: forEachDockerfile(
    (model) =>
      allInstructions(model).flatMap((instruction) => {
        const commands = instruction.script?.commands ?? [];
        return commands.flatMap((command): FileVerdict<Messages>[] => {
          const piped = runsStdin(command) ? upstreamOf(commands, command).find((other) => DOWNLOADERS.has(other.program)) : undefined;
          if (piped) return [{ status: 'fail', messageId: 'piped', data: { downloader: piped.program, interpreter: command.program }, at: instruction }];
          const fetched = descendantsOf(commands, codeWords(command)).find((other) => DOWNLOADERS.has(other.program));
          if (fetched) return [{ status: 'fail', messageId: 'substituted', data: { downloader: fetched.program, interpreter: command.program }, at: instruction }];
          return [];
        });
      }),
    { history: true, pass: 'noRemoteScript' },
  ),
});
