import { defineRule } from '../define.js';
import type { Status } from '../types.js';
import { problemFindings } from './support/compose-files.js';

const STATUSES = new Map<string, Status>([
  ['fileNotAvailable', 'warn'],
  ['serviceMissing', 'fail'],
  ['cycle', 'fail'],
  ['includeNotAvailable', 'warn'],
]);

export default defineRule({
  meta: {
    id: 'DA904',
    alias: 'compose-extends',
    family: 'compose',
    title: 'extends and include targets exist and are analysed',
    severity: 'medium',
    rationale:
      'A service built with extends takes part of its settings (user, capabilities, mounts, limits) from another service; when that service or its file is missing, docker compose refuses the file, and the audit cannot see what the service inherits.',
    remediation:
      'Point extends at a service that exists; pass the files named in extends.file and include to dockaudit with the Compose file (dockaudit lint compose.yaml common.yml) so that they are analysed too.',
    references: { cis: [], checklist: ['IMG-4'] },
    needs: ['files'],
    messages: {
      fileNotAvailable:
        'service {{service}} extends service {{target}} of {{file}}, which is not among the analysed files: its inherited settings are not audited',
      serviceMissing: 'service {{service}} extends service {{target}}, which {{file}} does not define',
      cycle: 'service {{service}} extends itself through {{chain}}',
      includeNotAvailable: 'the file includes {{file}}, which is not among the analysed files: its services are not audited',
      resolved: 'every extends target is defined and analysed',
    },
  },
  check: ({ snapshot }) => problemFindings(snapshot, 'extends', STATUSES, 'resolved'),
});
