import { listOrDict, textOf, valueOf } from '../../parsers/compose/projects.js';
import type { RuleResult } from '../types.js';
import { defineRule } from '../define.js';
import { composeServices, profileNote, serviceSubject } from './support/compose-files.js';
import { isPlaceholderValue, isSecretName, secretShapeInSentence, writtenDefault } from '../shared/secrets.js';

export default defineRule({
  meta: {
    id: 'DA906',
    alias: 'compose-environment-secret',
    family: 'compose',
    title: 'No secrets written into Compose environment variables',
    severity: 'high',
    rationale:
      'A password or key written in a Compose file is in every copy and every commit of it, and in the container it is visible to anyone who can run docker inspect; Compose secrets mount it as a file readable only inside the container instead.',
    remediation:
      'Move the value out of the file: declare it under secrets (file: or environment:), grant it to the service with secrets:, and point the image at the file (POSTGRES_PASSWORD_FILE=/run/secrets/db_password); at the very least take it from the uncommitted .env file with ${VAR}.',
    references: { cis: [], checklist: [], related: ['4.10'] },
    needs: ['files'],
    messages: {
      byName: 'environment variable {{variable}} of service {{service}} holds a secret written in the file (its name says so){{profile}}',
      byShape: 'environment variable {{variable}} of service {{service}} holds {{shape}} written in the file{{profile}}',
      byDefault: 'environment variable {{variable}} of service {{service}} falls back to a secret written in the file when .env does not set it{{profile}}',
      none: 'no secret written into the environment of service {{service}} ({{count}} variables)',
    },
  },
  check: ({ snapshot }) =>
    composeServices(snapshot).flatMap(({ service }): RuleResult[] => {
      const environment = listOrDict(valueOf(service.node, 'environment'));
      const results: RuleResult[] = [];
      const data = { service: service.name, profile: profileNote(service) };
      for (const entry of environment?.entries.values() ?? []) {
        const value = entry.value;
        if (value.kind !== 'scalar' || value.value === null) continue;
        if (value.interpolated) {
          // A value taken from .env is not in this file, but a literal fallback is.
          const fallback = writtenDefault(value.written);
          if (fallback !== undefined && isSecretName(entry.key) && !isPlaceholderValue(fallback)) {
            results.push({ subject: serviceSubject(service), status: 'fail', messageId: 'byDefault', data: { ...data, variable: entry.key }, location: entry.keyPos });
          }
          continue;
        }
        const text = textOf(value);
        const shape = secretShapeInSentence(text);
        if (shape) {
          results.push({ subject: serviceSubject(service), status: 'fail', messageId: 'byShape', data: { ...data, variable: entry.key, shape }, location: entry.keyPos });
        } else if (isSecretName(entry.key) && !isPlaceholderValue(text)) {
          results.push({ subject: serviceSubject(service), status: 'fail', messageId: 'byName', data: { ...data, variable: entry.key }, location: entry.keyPos });
        }
      }
      if (results.length > 0) return results;
      return [{ subject: serviceSubject(service), status: 'pass', messageId: 'none', data: { service: service.name, count: environment?.entries.size ?? 0 } }];
    }),
});
