import type { DockerfileInstruction, DockerfileModel } from '../../snapshot/dockerfile.js';
import { defineRule } from '../define.js';
import { assignmentsOf, writtenFiles } from './support/commands.js';
import { allInstructions, forEachDockerfile, isShipped, stageLabel, type FileVerdict } from './support/each.js';
import { isPlainValue, isSecretName, secretShape } from './support/secrets.js';

type Messages = 'noSecret' | 'secretValue' | 'secretName' | 'secretNameBuildStage' | 'secretInRun' | 'secretInFile';

/** `key = value` (ini, .npmrc), `key: value` (YAML) or `key value` (redis `requirepass x`) on one line of a configuration file. */
const SETTINGS: readonly RegExp[] = [/^\s*([^=\s#;]+)\s*=\s*(\S.*?)\s*$/, /^\s*([A-Za-z_][\w.-]*):\s+(\S.*?)\s*$/, /^\s*([A-Za-z_][\w.-]*)\s+(\S+)\s*$/];
/** Configuration keys that hold a secret, beyond variable-style names (`requirepass`, `_authToken`). */
const SECRET_KEY = /(pass|passwd|password|secret|token|apikey|api_key)$/i;

/** Secret-named settings with a real value in files the RUN writes (echo, printf, cat/tee heredocs). */
function fileFindings(model: DockerfileModel, instruction: DockerfileInstruction): FileVerdict<Messages>[] {
  if (instruction.keyword !== 'RUN') return [];
  return writtenFiles(instruction.script?.commands ?? []).flatMap((written) =>
    written.content.split('\n').flatMap((line): FileVerdict<Messages>[] => {
      const setting = SETTINGS.map((pattern) => pattern.exec(line)).find((match) => match !== null);
      if (!setting) return [];
      const key = setting[1] as string;
      const value = (setting[2] as string).replace(/^["']|["']$/g, '');
      if (!(isSecretName(key.replace(/[^A-Za-z0-9]+/g, '_')) || SECRET_KEY.test(key)) || isPlainValue(value) || secretShape(value)) return [];
      const where = isShipped(model, instruction) ? 'the shipped image' : `build ${stageLabel(model, instruction.stage)}`;
      return [{ status: isShipped(model, instruction) ? 'fail' : 'warn', messageId: 'secretInFile', data: { key, file: written.file, where }, at: instruction }];
    }),
  );
}

const KEYWORDS: Readonly<Record<string, string>> = { ENV: 'ENV', ARG: 'ARG', LABEL: 'LABEL' };

function pairFindings(model: DockerfileModel, instruction: DockerfileInstruction): FileVerdict<Messages>[] {
  const keyword = KEYWORDS[instruction.keyword];
  const pairs = keyword ? (instruction.pairs ?? []) : [];
  const built = (instruction.buildArgs ?? []).map((pair) => ({ ...pair, keyword: 'build argument' }));
  return [...pairs.map((pair) => ({ ...pair, keyword: keyword ?? '' })), ...built].flatMap((pair): FileVerdict<Messages>[] => {
    const shape = pair.value === undefined ? undefined : secretShape(pair.value);
    if (shape) return [{ status: 'fail', messageId: 'secretValue', data: { keyword: pair.keyword, key: pair.key, kind: shape }, at: instruction, severity: 'critical' }];
    // LABEL names are metadata keys, not variables: only a secret-shaped value counts there.
    // A global ARG (before the first FROM) only feeds FROM lines; a stage that uses it redeclares it.
    if (pair.keyword === 'LABEL' || instruction.stage < 0 || !isSecretName(pair.key)) return [];
    if (pair.value !== undefined && isPlainValue(pair.value)) return [];
    const data = { keyword: pair.keyword, key: pair.key };
    if (isShipped(model, instruction) || model.origin === 'history') return [{ status: 'fail', messageId: 'secretName', data, at: instruction }];
    return [{ status: 'warn', messageId: 'secretNameBuildStage', data: { ...data, stage: stageLabel(model, instruction.stage) }, at: instruction }];
  });
}

function runFindings(instruction: DockerfileInstruction): FileVerdict<Messages>[] {
  const kinds = new Set<string>();
  for (const command of instruction.script?.commands ?? []) {
    const values = [...command.argv.map((word) => word.value), ...assignmentsOf(command).map((assignment) => assignment.value), ...command.redirects.map((redirect) => redirect.heredoc?.body ?? '')];
    for (const value of values) {
      const shape = secretShape(value);
      if (shape) kinds.add(shape);
    }
  }
  return [...kinds].map((kind) => ({ status: 'fail', messageId: 'secretInRun', data: { keyword: instruction.keyword, kind }, at: instruction, severity: 'critical' }));
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
    references: { cis: ['4.10'], checklist: ['IMG-4'] },
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
    (model) =>
      allInstructions(model).flatMap((instruction) => [
        ...pairFindings(model, instruction),
        ...(instruction.script && instruction.keyword !== 'ENV' ? runFindings(instruction) : []),
        ...fileFindings(model, instruction),
      ]),
    { pass: 'noSecret' },
  ),
});
