import type { DockerfileInstruction, DockerfileModel, KeyValue } from '../../parsers/dockerfile/snapshot-dockerfiles.js';
import { defineRule } from '../define.js';
import { assignmentsOf, writtenFiles } from './support/commands.js';
import { allInstructions, forEachDockerfile, isShipped, stageLabel, type FileVerdict } from './support/each.js';
import { isPlainValue, isSecretName, secretShape } from './support/secrets.js';

type Messages = 'noSecret' | 'secretValue' | 'secretName' | 'secretNameBuildStage' | 'secretInRun' | 'secretInFile';

/** `key = value` (ini, .npmrc), `key: value` (YAML) or `key value` (redis `requirepass x`) on one line of a configuration file. */
const SETTINGS: readonly RegExp[] = [/^\s*([^=\s#;]+)\s*=\s*(\S.*?)\s*$/, /^\s*([A-Za-z_][\w.-]*):\s+(\S.*?)\s*$/, /^\s*([A-Za-z_][\w.-]*)\s+(\S+)\s*$/];
/** Configuration keys that hold a secret, beyond variable-style names (`requirepass`, `_authToken`). */
const SECRET_KEY = /(pass|passwd|password|secret|token|apikey|api_key)$/i;

/** The first setting pattern a line matches. */
function settingOf(line: string): RegExpExecArray | undefined {
  for (const pattern of SETTINGS) {
    const match = pattern.exec(line);
    if (match) return match;
  }
  return undefined;
}

/** Secret-named settings with a real value in files the RUN writes (echo, printf, cat/tee heredocs). */
function fileFindings(model: DockerfileModel, instruction: DockerfileInstruction, findings: FileVerdict<Messages>[]): void {
  if (instruction.keyword !== 'RUN') return;
  for (const written of writtenFiles(instruction.script?.commands ?? [])) {
    for (const line of written.content.split('\n')) {
      const setting = settingOf(line);
      if (!setting) continue;
      const key = setting[1] as string;
      const value = (setting[2] as string).replace(/^["']|["']$/g, '');
      if (!(isSecretName(key.replace(/[^A-Za-z0-9]+/g, '_')) || SECRET_KEY.test(key)) || isPlainValue(value) || secretShape(value)) continue;
      const where = isShipped(model, instruction) ? 'the shipped image' : `build ${stageLabel(model, instruction.stage)}`;
      findings.push({ status: isShipped(model, instruction) ? 'fail' : 'warn', messageId: 'secretInFile', data: { key, file: written.file, where }, at: instruction });
    }
  }
}

const KEYWORDS: Readonly<Record<string, string>> = { ENV: 'ENV', ARG: 'ARG', LABEL: 'LABEL' };

function pairFindings(model: DockerfileModel, instruction: DockerfileInstruction, findings: FileVerdict<Messages>[]): void {
  const keyword = KEYWORDS[instruction.keyword];
  if (keyword && instruction.pairs) for (const pair of instruction.pairs) pairFinding(model, instruction, keyword, pair, findings);
  if (instruction.buildArgs) for (const pair of instruction.buildArgs) pairFinding(model, instruction, 'build argument', pair, findings);
}

function pairFinding(model: DockerfileModel, instruction: DockerfileInstruction, keyword: string, pair: KeyValue, findings: FileVerdict<Messages>[]): void {
  const shape = pair.value === undefined ? undefined : secretShape(pair.value);
  if (shape) {
    findings.push({ status: 'fail', messageId: 'secretValue', data: { keyword, key: pair.key, kind: shape }, at: instruction, severity: 'critical' });
    return;
  }
  // LABEL names are metadata keys, not variables: only a secret-shaped value counts there.
  // A global ARG (before the first FROM) only feeds FROM lines; a stage that uses it redeclares it.
  if (keyword === 'LABEL' || instruction.stage < 0 || !isSecretName(pair.key)) return;
  if (pair.value !== undefined && isPlainValue(pair.value)) return;
  const data = { keyword, key: pair.key };
  if (isShipped(model, instruction) || model.origin === 'history') findings.push({ status: 'fail', messageId: 'secretName', data, at: instruction });
  else findings.push({ status: 'warn', messageId: 'secretNameBuildStage', data: { ...data, stage: stageLabel(model, instruction.stage) }, at: instruction });
}

function runFindings(instruction: DockerfileInstruction, findings: FileVerdict<Messages>[]): void {
  const kinds = new Set<string>();
  const look = (value: string): void => {
    const shape = secretShape(value);
    if (shape) kinds.add(shape);
  };
  for (const command of instruction.script?.commands ?? []) {
    for (const word of command.argv) look(word.value);
    for (const assignment of assignmentsOf(command)) look(assignment.value);
    for (const redirect of command.redirects) look(redirect.heredoc?.body ?? '');
  }
  for (const kind of kinds) findings.push({ status: 'fail', messageId: 'secretInRun', data: { keyword: instruction.keyword, kind }, at: instruction, severity: 'critical' });
}

export default defineRule({
  meta: {
    id: 'DA807',
    alias: 'dockerfile-secret-in-env',
    family: 'dockerfile',
    title: 'No secrets in ENV, ARG or RUN',
    severity: 'high',
    rationale:
      'ENV values are part of the image configuration and ARG values are recorded in its history: anyone who can pull the image (or read the build cache) reads them. A credential written in a Dockerfile is also in its repository.',
    remediation: 'Pass secrets at build time with RUN --mount=type=secret and at run time from a secret store or an environment the orchestrator injects; never bake them into ENV, ARG defaults or RUN lines. Rotate any credential that was committed.',
    references: { cis: [], checklist: ['IMG-4'], related: ['4.10'] },
    needs: ['dockerfiles'],
    messages: {
      noSecret: 'no secret found in ENV, ARG or RUN',
      secretValue: '{{keyword}} {{key}} holds a value shaped like a credential ({{kind}}; value not shown)',
      secretName: '{{keyword}} {{key}} is named like a secret: its value is stored in the shipped image',
      secretNameBuildStage: '{{keyword}} {{key}} is named like a secret in build {{stage}}: its value stays in that stage\'s build cache and history',
      secretInRun: '{{keyword}} contains a value shaped like a credential ({{kind}}; value not shown)',
      secretInFile: 'RUN writes {{key}} with a value into {{file}}, which stays in {{where}} (value not shown)',
    },
  },
  check: forEachDockerfile(
    (model) => {
      const findings: FileVerdict<Messages>[] = [];
      for (const instruction of allInstructions(model)) {
        pairFindings(model, instruction, findings);
        if (instruction.script && instruction.keyword !== 'ENV') runFindings(instruction, findings);
        fileFindings(model, instruction, findings);
      }
      return findings;
    },
    { pass: 'noSecret' },
  ),
});
