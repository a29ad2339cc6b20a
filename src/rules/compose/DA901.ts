import { defineRule } from '../define.js';
import type { Status } from '../types.js';
import { problemFindings } from './support/compose-files.js';

/** A file dockaudit refused or could not read was not audited at all: an error, whatever --fail-on says. */
const STATUSES = new Map<string, Status>([
  ['yamlError', 'fail'],
  ['tooLarge', 'error'],
  ['aliasBomb', 'error'],
  ['tooDeep', 'error'],
  ['notMapping', 'fail'],
  ['skipped', 'error'],
]);

export default defineRule({
  meta: {
    id: 'DA901',
    alias: 'compose-file-readable',
    family: 'compose',
    title: 'Compose files can be read and parsed',
    severity: 'medium',
    rationale:
      'A Compose file that is not valid YAML, or that dockaudit refuses to expand, cannot be checked: none of its services is audited, and docker compose itself will not run it as written.',
    remediation:
      'Fix the YAML at the reported line and column (indentation, quotes, duplicate keys); split or simplify files that exceed the size, nesting or alias limits.',
    references: { cis: [], checklist: ['IMG-4'] },
    needs: ['files'],
    messages: {
      yamlError: 'the file is not valid YAML: {{reason}}',
      tooLarge: 'the file is refused: {{bytes}} bytes, more than the {{limit}}-byte limit for a Compose file',
      aliasBomb: 'the file is refused: its YAML aliases expand to more than {{nodes}} nodes (an alias bomb)',
      tooDeep: 'the file is refused: it nests mappings and lists more than {{depth}} levels deep',
      notMapping: 'the file holds {{found}}, not a mapping of Compose keys',
      skipped: 'the file was not read: {{reason}}',
      parsed: 'the file parses as YAML',
    },
  },
  check: ({ snapshot }) => problemFindings(snapshot, 'file', STATUSES, 'parsed'),
});
