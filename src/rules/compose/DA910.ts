import { defineRule } from '../define.js';
import type { Status } from '../types.js';
import { problemFindings } from './support/compose-files.js';

/**
 * A version 1 file still gets every container rule (its services are read as current ones);
 * this finding only says the file needs a tool that no longer receives fixes.
 */
const STATUSES = new Map<string, Status>([['version1', 'warn']]);

export default defineRule({
  meta: {
    id: 'DA910',
    alias: 'compose-legacy-format',
    family: 'compose',
    title: 'Compose files use the current format',
    severity: 'low',
    rationale:
      'The version 1 Compose format (services at the top level of the file) is only read by docker-compose 1.x, which reached end of life in 2023 and gets no security fixes; docker compose refuses such a file, so whoever deploys it keeps an unmaintained tool around or rewrites the file under pressure.',
    remediation:
      'Move the services under a top-level `services:` key and replace the legacy keys: `net` by `network_mode`, `log_driver`/`log_opt` by `logging`, `dockerfile` by `build.dockerfile`; check the result with `docker compose config`.',
    references: { cis: [], checklist: ['IMG-4'] },
    needs: ['files'],
    messages: {
      version1: 'the file is in the legacy version 1 Compose format ({{services}} at the top level); its services are audited as current ones',
      current: 'the file uses the current Compose format',
    },
  },
  check: ({ snapshot }) => problemFindings(snapshot, 'legacy', STATUSES, 'current'),
});
