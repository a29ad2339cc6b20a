import { defineRule } from '../define.js';
import { allInstructions, forEachDockerfile, isShipped, stageLabel, type FileVerdict } from './support/each.js';
import { secretFileKind } from './support/secrets.js';

type Messages = 'noSecretFile' | 'secretFile' | 'secretFileBuildStage';

export default defineRule({
  meta: {
    id: 'DA808',
    alias: 'dockerfile-secret-file',
    family: 'dockerfile',
    title: 'No key or credential files are copied into images',
    severity: 'high',
    rationale:
      'A file copied into a layer stays in the image even if a later step deletes it: private keys, .env files and registry or cloud credentials copied in are readable by anyone who pulls the image or its build cache.',
    remediation: 'Mount credentials only for the step that needs them (RUN --mount=type=secret or --mount=type=ssh) and list such files in .dockerignore.',
    references: { cis: [], checklist: ['IMG-4'], related: ['4.10'] },
    needs: ['dockerfiles'],
    messages: {
      noSecretFile: 'no key or credential file is copied',
      secretFile: '{{keyword}} copies {{source}} ({{kind}}) into the shipped image',
      secretFileBuildStage: '{{keyword}} copies {{source}} ({{kind}}) into build {{stage}}: it stays in that stage\'s layers and build cache',
    },
  },
  check: forEachDockerfile(
    (model) =>
      allInstructions(model)
        .filter((instruction) => instruction.keyword === 'COPY' || instruction.keyword === 'ADD')
        .flatMap((instruction) =>
          (instruction.sources ?? []).flatMap((source): FileVerdict<Messages>[] => {
            const kind = secretFileKind(source);
            if (kind === undefined) return [];
            const data = { keyword: instruction.keyword, source, kind };
            return isShipped(model, instruction)
              ? [{ status: 'fail', messageId: 'secretFile', data, at: instruction }]
              : [{ status: 'warn', messageId: 'secretFileBuildStage', data: { ...data, stage: stageLabel(model, instruction.stage) }, at: instruction }];
          }),
        ),
    { pass: 'noSecretFile' },
  ),
});
