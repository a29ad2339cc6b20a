import { defineRule } from '../define.js';
import type { Status } from '../types.js';
import { problemFindings } from './support/compose-files.js';

const STATUSES = new Map<string, Status>(
  ['undefinedNetwork', 'undefinedVolume', 'undefinedSecret', 'undefinedConfig', 'undefinedService', 'noImage'].map((code) => [code, 'fail']),
);

export default defineRule({
  meta: {
    id: 'DA905',
    alias: 'compose-references',
    family: 'compose',
    title: 'Services refer only to what the project defines',
    severity: 'low',
    rationale:
      'A service that names a network, volume, secret, config or service the project does not define is refused by docker compose; a service with neither image nor build is usually an override file audited on its own, whose settings then reach no service.',
    remediation:
      'Declare the network, volume, secret or config under its top-level key (external: true when it is created elsewhere), fix the service name, or pass override files together with their base file.',
    references: { cis: [], checklist: ['IMG-4'] },
    needs: ['files'],
    messages: {
      undefinedNetwork: 'service {{service}} joins network {{name}}, which is not declared under networks',
      undefinedVolume: 'service {{service}} mounts named volume {{name}}, which is not declared under volumes',
      undefinedSecret: 'service {{service}} uses secret {{name}}, which is not declared under secrets',
      undefinedConfig: 'service {{service}} uses config {{name}}, which is not declared under configs',
      undefinedService: 'service {{service}} names service {{name}} in {{key}}, but the project has no such service',
      noImage: 'service {{service}} has neither image nor build: Compose cannot run it, so it is not audited as a container',
      consistent: 'every network, volume, secret, config and service the services name is defined',
    },
  },
  check: ({ snapshot }) => problemFindings(snapshot, 'reference', STATUSES, 'consistent'),
});
