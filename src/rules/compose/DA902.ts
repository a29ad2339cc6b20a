import { defineRule } from '../define.js';
import { redactSecrets } from '../shared/redact.js';
import { problemFindings } from './support/compose-files.js';

export default defineRule({
  meta: {
    id: 'DA902',
    alias: 'compose-schema',
    family: 'compose',
    title: 'Compose files follow the Compose specification',
    severity: 'medium',
    rationale:
      'docker compose rejects a file that breaks the Compose specification, and a misspelt key (privilegd, read-only) is a setting that silently does not apply: the service runs without the protection its author meant to give it.',
    remediation: 'Correct the key or value at the reported position; `docker compose config` shows the file as Compose reads it.',
    references: { cis: [], checklist: ['IMG-4'] },
    needs: ['files'],
    messages: {
      violation: '{{problem}}',
      valid: 'the file follows the Compose specification',
    },
  },
  // A violation quotes the value it found (`the string "..."`), which may be a credential.
  check: ({ snapshot }) =>
    problemFindings(snapshot, 'schema', new Map([['violation', 'fail']]), 'valid').map((result) =>
      typeof result.data?.['problem'] === 'string' ? { ...result, data: { ...result.data, problem: redactSecrets(result.data['problem']) } } : result,
    ),
});
