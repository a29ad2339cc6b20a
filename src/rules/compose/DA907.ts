import { listOrDict, textOf, valueOf } from '../../parsers/compose/projects.js';
import type { RuleResult } from '../types.js';
import { defineRule } from '../define.js';
import { composeServices, profileNote, serviceSubject } from './support/compose-files.js';
import { isSecretName, secretShapeInSentence } from '../shared/secrets.js';

export default defineRule({
  meta: {
    id: 'DA907',
    alias: 'compose-build-arg-secret',
    family: 'compose',
    title: 'No secrets passed to image builds as build arguments',
    severity: 'high',
    rationale:
      "Build arguments are recorded in the image's metadata and history: anyone who can pull the image can read a token or password passed with build.args, wherever its value came from.",
    remediation:
      'Pass the secret with build.secrets (declared under the top-level secrets) and read it in the Dockerfile with RUN --mount=type=secret,id=...; it is then never stored in a layer or in the history.',
    references: { cis: [], checklist: ['IMG-4'], related: ['4.10'] },
    needs: ['files'],
    messages: {
      secretArgument: 'build argument {{variable}} of service {{service}} passes a secret to the build ({{source}}){{profile}}',
      secretValue: 'build argument {{variable}} of service {{service}} holds {{shape}} written in the file{{profile}}',
      none: 'service {{service}} passes no secret as a build argument',
    },
  },
  check: ({ snapshot }) =>
    composeServices(snapshot).flatMap(({ service }): RuleResult[] => {
      const build = valueOf(service.node, 'build');
      if (build === undefined) return [];
      const args = listOrDict(valueOf(build, 'args'));
      const data = { service: service.name, profile: profileNote(service) };
      const results: RuleResult[] = [];
      for (const entry of args?.entries.values() ?? []) {
        const value = entry.value;
        const literal = value.kind === 'scalar' && value.value !== null && !value.interpolated;
        const shape = literal ? secretShapeInSentence(textOf(value)) : undefined;
        if (shape) {
          results.push({ subject: serviceSubject(service), status: 'fail', messageId: 'secretValue', data: { ...data, variable: entry.key, shape }, location: entry.keyPos });
        } else if (isSecretName(entry.key) && !(literal && textOf(value) === '')) {
          const source = literal ? 'written in the file' : value.kind === 'scalar' && value.value === null ? 'taken from the environment' : 'taken from a variable';
          results.push({ subject: serviceSubject(service), status: 'fail', messageId: 'secretArgument', data: { ...data, variable: entry.key, source }, location: entry.keyPos });
        }
      }
      return results.length > 0 ? results : [{ subject: serviceSubject(service), status: 'pass', messageId: 'none', data }];
    }),
});
