import { defineRule } from '../define.js';
import type { Status } from '../types.js';
import { problemFindings } from './support/compose-files.js';

const STATUSES = new Map<string, Status>([
  ['required', 'warn'],
  ['syntax', 'fail'],
  ['unset', 'info'],
]);

export default defineRule({
  meta: {
    id: 'DA903',
    alias: 'compose-variables',
    family: 'compose',
    title: 'Compose variables resolve from the project .env file',
    severity: 'low',
    rationale:
      'A value such as ${DB_PORT} or ${TAG:?set TAG} decides what the service runs with; when the project .env file does not set it, the audit sees an empty value and docker compose either substitutes nothing or refuses to start, depending on what the shell happens to export.',
    remediation:
      'Set the variable in the .env file beside the Compose file, or give it a default (${VAR:-value}); escape a literal dollar sign as $$.',
    references: { cis: [], checklist: ['IMG-4'] },
    needs: ['files'],
    messages: {
      required: 'required variable {{variable}} is {{state}} in the project .env file ("{{detail}}"): the audit used an empty value',
      syntax: 'invalid interpolation: {{detail}}',
      unset: 'variable {{variable}} is not set in the project .env file: Compose substitutes an empty string unless the shell sets it',
      resolved: 'every variable resolves from the project .env file or a default',
    },
  },
  check: ({ snapshot }) => problemFindings(snapshot, 'variable', STATUSES, 'resolved'),
});
