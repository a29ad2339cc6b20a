import { POSIX_SHELLS, type DockerfileModel, type ShellCommand } from '../../parsers/dockerfile/snapshot-dockerfiles.js';
import { defineRule } from '../define.js';
import { DOWNLOADERS, INTERPRETERS } from './support/downloads.js';
import { allInstructions, forEachDockerfile, type FileVerdict } from './support/each.js';

type Messages = 'noMaskedDownload' | 'maskedDownload';

/** Whether shell options turn pipefail on (`-o pipefail`, `-euxo pipefail`) or off (`+o pipefail`); undefined when they do not say. */
function pipefailOption(args: readonly string[]): boolean | undefined {
  let state: boolean | undefined;
  for (let index = 0; index + 1 < args.length; index += 1) {
    const arg = args[index] as string;
    if (args[index + 1] !== 'pipefail') continue;
    if (/^-[a-zA-Z]*o$/.test(arg)) state = true;
    else if (/^\+[a-zA-Z]*o$/.test(arg)) state = false;
  }
  return state;
}

/** The pipefail state each stage ends with, SHELL instructions applied, a stage inheriting from its base stage. */
function stageShells(model: DockerfileModel): Map<number, boolean> {
  const states = new Map<number, boolean>();
  for (const stage of model.stages) {
    let state = stage.base.kind === 'stage' ? (states.get(stage.base.stage) ?? false) : false;
    for (const instruction of stage.instructions) if (instruction.keyword === 'SHELL' && instruction.exec) state = pipefailOption(instruction.exec.slice(1)) ?? false;
    states.set(stage.index, state);
  }
  return states;
}

/**
 * The first downloader whose exit status a pipeline drops: it is not the last command of its
 * pipeline, and pipefail is off in the shell that runs it. `shellPipefail` is the state the
 * RUN's own shell starts with. Commands come parents first, so one pass settles every one.
 */
function maskedDownload(commands: readonly ShellCommand[], shellPipefail: boolean): ShellCommand | undefined {
  const lastPosition = new Map<number, number>();
  // Where a pipeline runs a shell or an interpreter: a download before it is run as code, DA809's case.
  const runsCode = new Map<number, number>();
  for (const command of commands) {
    for (const pipe of command.pipes) {
      lastPosition.set(pipe.pipeline, Math.max(lastPosition.get(pipe.pipeline) ?? 0, pipe.position));
      if (POSIX_SHELLS.has(command.program) || INTERPRETERS.test(command.program)) runsCode.set(pipe.pipeline, Math.max(runsCode.get(pipe.pipeline) ?? -1, pipe.position));
    }
  }
  // The shell each command runs in: -1 for the RUN's own, else the id of the command that started it.
  const shellOf: number[] = [];
  const pipefail = new Map<number, boolean>([[-1, shellPipefail]]);
  for (const command of commands) {
    const parent = command.parent;
    let shell = -1;
    if (parent !== undefined) {
      if (parent.kind === 'shell-c' || parent.kind === 'heredoc') {
        shell = parent.id;
        if (!pipefail.has(shell)) pipefail.set(shell, pipefailOption(commands[parent.id]?.args ?? []) ?? false);
      } else {
        shell = shellOf[parent.id] ?? -1;
      }
    }
    shellOf[command.id] = shell;
    if (command.program === 'set') {
      const state = pipefailOption(command.args);
      if (state !== undefined) pipefail.set(shell, state);
      continue;
    }
    if (!DOWNLOADERS.has(command.program) || pipefail.get(shell)) continue;
    if (command.pipes.some((pipe) => pipe.position < (lastPosition.get(pipe.pipeline) ?? 0) && pipe.position > (runsCode.get(pipe.pipeline) ?? -1))) return command;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'DA824',
    alias: 'dockerfile-pipefail',
    family: 'dockerfile',
    title: 'A failed download in a pipeline fails the build',
    severity: 'low',
    rationale:
      'A shell takes the exit status of a pipeline from its last command only: when curl fails in curl ... | tar x or curl ... | gpg --dearmor, the build goes on with an empty or truncated file and an image that lacks what the step was meant to install, and nobody is told.',
    remediation:
      'Start the RUN with set -o pipefail (set -eux -o pipefail), or set it for every RUN with SHELL ["/bin/bash", "-o", "pipefail", "-c"]; alternatively download to a file first (curl -fsSLo file URL) and use the file.',
    references: { cis: [], checklist: ['IMG-4'] },
    needs: ['dockerfiles'],
    messages: {
      noMaskedDownload: 'no download feeds a pipeline without pipefail',
      maskedDownload: '{{downloader}} feeds a pipeline without pipefail: if the download fails, only the last command\'s status counts and the build goes on',
    },
  },
  check: forEachDockerfile(
    (model) => {
      const shells = stageShells(model);
      const findings: FileVerdict<Messages>[] = [];
      // The SHELL in force where each instruction runs, followed in order through the stage.
      const current = new Map<number, boolean>();
      for (const instruction of allInstructions(model)) {
        const stage = model.stages[instruction.stage];
        if (!current.has(instruction.stage)) current.set(instruction.stage, stage?.base.kind === 'stage' ? (shells.get(stage.base.stage) ?? false) : false);
        if (instruction.keyword === 'SHELL' && instruction.exec) {
          current.set(instruction.stage, pipefailOption(instruction.exec.slice(1)) ?? false);
          continue;
        }
        if (instruction.keyword !== 'RUN' || instruction.script === undefined || instruction.script.dialect === 'other') continue;
        const masked = maskedDownload(instruction.script.commands, current.get(instruction.stage) ?? false);
        if (masked) findings.push({ status: 'fail', messageId: 'maskedDownload', data: { downloader: masked.program }, at: instruction });
      }
      return findings;
    },
    // A build history records the shell of each RUN in its own way: judged from Dockerfiles only.
    { pass: 'noMaskedDownload' },
  ),
});
