/**
 * The shape most Dockerfile rules take: for each parsed Dockerfile, the instructions that break
 * the rule, each a finding at its own location; a file with none gets one `pass`.
 * Kept out of the rule folder's top level because every `.ts` file there is one rule.
 */
import { dockerfilesOf, historyModelsOf, type DockerfileInstruction, type DockerfileLocation, type DockerfileModel, type ShellCommand } from '../../../parsers/dockerfile/snapshot-dockerfiles.js';
import type { RuleContext, RuleResult, Severity, Status } from '../../types.js';

export interface FileVerdict<Messages extends string> {
  status: Status;
  messageId: Messages;
  data?: Record<string, string | number | undefined>;
  /** Where the finding points: an instruction or a location; nothing for the file as a whole. */
  at?: DockerfileInstruction | DockerfileLocation;
  severity?: Severity;
}

export interface EachOptions<Messages extends string> {
  /** Reported once for a file with no finding. */
  pass: Messages;
  /** Rules about stages have nothing to say about a file without a FROM (DA801 reports it). */
  needsStage?: boolean;
  /**
   * Also judge images by their build history when images were scanned. Off for rules whose
   * subject history cannot show (COPY sources, the base image reference) or that an image rule
   * already judges from the same history (user, healthcheck, update alone, ADD, secrets).
   */
  history?: boolean;
}

const fileSubjects = new WeakMap<DockerfileModel, RuleResult['subject']>();

/** The subject of a Dockerfile's findings: one object per file, shared by every rule's findings. */
function fileSubject(model: DockerfileModel): RuleResult['subject'] {
  let subject = fileSubjects.get(model);
  if (subject === undefined) {
    subject = { kind: 'file', name: model.path };
    fileSubjects.set(model, subject);
  }
  return subject;
}

function locationOf(at: DockerfileInstruction | DockerfileLocation | undefined): DockerfileLocation | undefined {
  if (at === undefined) return undefined;
  return 'keyword' in at ? at.location : at;
}

/**
 * Runs `check` on every Dockerfile that was parsed (skipped files are DA801's to report).
 * Verdicts with status `pass` are kept; an empty list becomes one `pass` for the file.
 */
export function forEachDockerfile<Messages extends string, Options>(
  check: (model: DockerfileModel, context: RuleContext<Options>) => FileVerdict<Messages>[],
  options: EachOptions<Messages>,
): (context: RuleContext<Options>) => RuleResult[] {
  return (context) => {
    const results: RuleResult[] = [];
    const judge = (model: DockerfileModel, subject: RuleResult['subject']): void => {
      if (model.skipped !== undefined) return;
      if (options.needsStage && model.finalStage < 0) return;
      const verdicts = check(model, context);
      if (verdicts.length === 0) results.push({ subject, status: 'pass', messageId: options.pass });
      for (const verdict of verdicts) {
        const result: RuleResult = { subject, status: verdict.status, messageId: verdict.messageId };
        if (verdict.data) result.data = verdict.data;
        // A history row is no place in a file: image findings carry no location.
        const location = model.origin === 'file' ? locationOf(verdict.at) : undefined;
        // Shared with the model, as workload findings share the workload's: locations are never changed.
        if (location) result.location = location;
        if (verdict.severity) result.severity = verdict.severity;
        results.push(result);
      }
    };
    for (const model of dockerfilesOf(context.snapshot)) judge(model, fileSubject(model));
    if (options.history) {
      for (const { model, image } of historyModelsOf(context.snapshot)) judge(model, { kind: 'image', id: image.id, name: image.name });
    }
    return results;
  };
}

const everyInstruction = new WeakMap<DockerfileModel, DockerfileInstruction[]>();
const shippedOnly = new WeakMap<DockerfileModel, DockerfileInstruction[]>();

/** Every instruction of every stage, each ONBUILD followed by its trigger (which runs in child images). */
export function allInstructions(model: DockerfileModel): readonly DockerfileInstruction[] {
  let found = everyInstruction.get(model);
  if (found === undefined) {
    found = [];
    for (const instruction of model.instructions) {
      found.push(instruction);
      if (instruction.trigger) found.push(instruction.trigger);
    }
    everyInstruction.set(model, found);
  }
  return found;
}

/**
 * The instructions of the stages that make up the shipped image, base stage first. ONBUILD
 * triggers are left out: they run when another image is built FROM this one, not in it.
 */
export function shippedInstructions(model: DockerfileModel): readonly DockerfileInstruction[] {
  let found = shippedOnly.get(model);
  if (found === undefined) {
    found = [];
    for (const index of model.shipped) found.push(...(model.stages[index]?.instructions ?? []));
    shippedOnly.set(model, found);
  }
  return found;
}

/** Whether an instruction belongs to the shipped image (the final stage or a stage it is built FROM). */
export function isShipped(model: DockerfileModel, instruction: DockerfileInstruction): boolean {
  let stages = shippedStages.get(model);
  if (stages === undefined) {
    stages = new Set(model.shipped);
    shippedStages.set(model, stages);
  }
  return stages.has(instruction.stage);
}

const shippedStages = new WeakMap<DockerfileModel, ReadonlySet<number>>();

/** What a stage is called in messages: its name or its index. */
export function stageLabel(model: DockerfileModel, stage: number): string {
  const name = model.stages[stage]?.name;
  return name ? `stage "${name}"` : `stage ${stage}`;
}

/** A RUN instruction and the commands it runs. */
export interface Run {
  instruction: DockerfileInstruction;
  commands: ShellCommand[];
}

const runLists = new WeakMap<readonly DockerfileInstruction[], readonly Run[]>();

/**
 * RUN instructions (ONBUILD RUN triggers included) with their parsed commands. Remembered per
 * list, as several rules ask for the runs of the same `allInstructions` or `shippedInstructions`.
 */
export function runsOf(instructions: readonly DockerfileInstruction[]): readonly Run[] {
  let runs = runLists.get(instructions);
  if (runs === undefined) {
    const found: Run[] = [];
    for (const instruction of instructions) {
      if (instruction.keyword === 'RUN' && instruction.script !== undefined) found.push({ instruction, commands: instruction.script.commands });
    }
    runs = found;
    runLists.set(instructions, runs);
  }
  return runs;
}

/** The last instruction with this keyword among `instructions`. */
export function lastOf(instructions: readonly DockerfileInstruction[], keyword: string): DockerfileInstruction | undefined {
  for (let index = instructions.length - 1; index >= 0; index -= 1) {
    if (instructions[index]?.keyword === keyword) return instructions[index];
  }
  return undefined;
}

/** The FROM of the final stage, where findings about the shipped image as a whole point. */
export function finalFrom(model: DockerfileModel): DockerfileInstruction | undefined {
  return model.stages[model.finalStage]?.from;
}
