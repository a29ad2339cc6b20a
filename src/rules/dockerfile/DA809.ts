import { POSIX_SHELLS, shellReadsStdin, shellScriptArgument, type ShellCommand } from '../../parsers/dockerfile/snapshot-dockerfiles.js';
import { defineRule } from '../define.js';
import { descendantsOf, operands, upstreamRunning } from './support/commands.js';
import { DOWNLOADERS, INTERPRETERS, downloadOf, executedFiles, fileKeys, verifies } from './support/downloads.js';
import { allInstructions, forEachDockerfile, type FileVerdict } from './support/each.js';
import { installedPackageFiles } from './support/package-sources.js';

type Messages = 'noRemoteScript' | 'piped' | 'substituted' | 'savedThenRun' | 'savedThenInstalled';


/** The short options by which each interpreter takes its program (or module) on the command line. */
function programLetters(interpreter: string): string {
  if (interpreter.startsWith('python')) return 'cm';
  if (interpreter.startsWith('perl')) return 'eE';
  if (interpreter.startsWith('ruby')) return 'e';
  if (interpreter.startsWith('php')) return 'rBRE';
  return 'ep';
}

/** Whether the command runs a script it reads from standard input. */
function runsStdin(command: ShellCommand): boolean {
  if (POSIX_SHELLS.has(command.program)) return shellReadsStdin(command.program, command.args);
  if (!INTERPRETERS.test(command.program)) return false;
  // `-c 'code'`, `-pe's/a/b/'`, `-mjson.tool`: the program is given, glued or in the next word.
  // Options after the script (or `-`) are the script's own.
  const letters = programLetters(command.program);
  let index = 0;
  for (; index < command.args.length; index += 1) {
    const arg = command.args[index] as string;
    if (arg === '-' || arg === '--' || !arg.startsWith('-')) break;
    if (arg === '--eval' || arg === '--print' || (!arg.startsWith('--') && [...arg.slice(1)].some((char) => letters.includes(char)))) return false;
  }
  const first = command.args[index];
  if (first === undefined || first === '-') return true;
  // `php -- --install-dir=x`: php reads its program from standard input, the rest are its arguments.
  if (first === '--') return command.program.startsWith('php') || command.args[index + 1] === undefined;
  return false;
}

// Stryker disable next-line ArrayDeclaration: descendantsOf skips ids that name no command
const NO_WORDS: readonly number[] = [];

/**
 * The commands substituted into the words a command runs as code: a shell's -c script, eval's
 * arguments, a sourced file.
 */
function codeSubstitutions(command: ShellCommand): readonly number[] {
  // The substitutions in the word of `args[index]`, which follows the program's word in argv.
  const argument = (index: number): readonly number[] => command.argv[command.programIndex + 1 + index]?.substitutions ?? NO_WORDS;
  // Stryker disable next-line MethodExpression: the words up to eval's are wrappers and eval itself, never substitutions
  if (command.program === 'eval') return command.argv.slice(command.programIndex + 1).flatMap((word) => word.substitutions);
  if (command.program === 'source' || command.program === '.') return argument(0);
  if (POSIX_SHELLS.has(command.program) || INTERPRETERS.test(command.program)) {
    const script = shellScriptArgument(command.program, command.args);
    if (script >= 0) return argument(script);
    const first = operands(command.args)[0];
    // Stryker disable next-line ConditionalExpression: indexOf(undefined) is -1 too
    const index = first === undefined ? -1 : command.args.indexOf(first);
    // Stryker disable next-line ConditionalExpression: argument(-1) is the program's own word, a shell's name, with no substitution
    return index >= 0 ? argument(index) : NO_WORDS;
  }
  return NO_WORDS;
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
      savedThenRun: '{{downloader}} saves {{file}} and the build runs it with no checksum or signature check',
      savedThenInstalled: '{{downloader}} saves {{file}} and {{installer}} installs it, running its maintainer scripts as root, with no checksum or signature check',
    },
  },
  check: forEachDockerfile(
    (model) => {
      const findings: FileVerdict<Messages>[] = [];
      // Files downloaded unverified so far, per stage, by each name they may be run under.
      const saved = new Map<number, Map<string, { downloader: string; file: string }>>();
      for (const instruction of allInstructions(model)) {
        const commands = instruction.script?.commands ?? [];
        const verified = commands.some(verifies);
        let pending = saved.get(instruction.stage);
        if (pending === undefined) saved.set(instruction.stage, (pending = new Map()));
        if (verified) pending.clear();
        let reported = false;
        const installs = installedPackageFiles(commands);
        for (const command of commands) {
          const piped = runsStdin(command) ? upstreamRunning(commands, command, DOWNLOADERS) : undefined;
          if (piped) {
            findings.push({ status: 'fail', messageId: 'piped', data: { downloader: piped.program, interpreter: command.program }, at: instruction });
            continue;
          }
          const fetched = descendantsOf(commands, codeSubstitutions(command)).find((other) => DOWNLOADERS.has(other.program));
          if (fetched) {
            findings.push({ status: 'fail', messageId: 'substituted', data: { downloader: fetched.program, interpreter: command.program }, at: instruction });
            continue;
          }
          if (verified) continue;
          const download = downloadOf(command);
          if (download?.file !== undefined) for (const key of fileKeys(download.file)) pending.set(key, { downloader: command.program, file: download.file });
          const run = executedFiles(command).flatMap(fileKeys).map((key) => pending.get(key)).find(Boolean);
          const installed = run ? undefined : (installs.get(command) ?? []).flatMap(fileKeys).map((key) => pending.get(key)).find(Boolean);
          if ((run || installed) && !reported) {
            reported = true;
            if (run) findings.push({ status: 'fail', messageId: 'savedThenRun', data: { downloader: run.downloader, file: run.file }, at: instruction });
            else if (installed) findings.push({ status: 'fail', messageId: 'savedThenInstalled', data: { downloader: installed.downloader, file: installed.file, installer: command.program }, at: instruction });
          }
        }
      }
      return findings;
    },
    { history: true, pass: 'noRemoteScript' },
  ),
});
