import * as z from '../../zod.js';
import { obj, strings } from '../../snapshot/api-document.js';
import { defineRule } from '../define.js';
import { isSecretName } from '../shared/secrets.js';
import { forEachImage, readHistory } from '../shared/images.js';
import { instructionsOf } from './support/history.js';

/** `A=1 B="x y"` (and the legacy `KEY value`) -> names and values. */
function assignments(args: string): [string, string][] {
  const pairs = [...args.matchAll(/([A-Za-z_][A-Za-z0-9_.-]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)].map(
    (match): [string, string] => [match[1] ?? '', (match[2] ?? '').replace(/^(["'])(.*)\1$/, '$2')],
  );
  if (pairs.length > 0) return pairs;
  const legacy = /^(\S+)\s+(.+)$/.exec(args.trim());
  return legacy ? [[legacy[1] ?? '', legacy[2] ?? '']] : [];
}

export default defineRule({
  meta: {
    id: 'DA405',
    alias: 'image-secrets-in-history',
    family: 'image',
    title: 'No secrets in image environment, build arguments or history',
    severity: 'high',
    rationale:
      'ENV values, ARG defaults and the build arguments of RUN instructions are recorded in the image config and history: anyone who can pull the image reads them with docker history or docker inspect, long after the build.',
    remediation:
      'Pass build-time secrets with BuildKit secret mounts (RUN --mount=type=secret,id=npm ...) and runtime secrets through Docker/Swarm secrets or a *_FILE variable pointing at a mounted file; rebuild the image and rotate every exposed secret.',
    references: { cis: ['4.10'], checklist: ['IMG-4'] },
    needs: ['images'],
    messages: {
      secrets: '{{count}} secret-looking variable(s) with a value recorded in the image (values not shown): {{names}}',
      secretsHistoryUnread:
        '{{count}} secret-looking variable(s) with a value in the image config (values not shown): {{names}}; the history could not be read ({{reason}})',
      clean: 'no secret-looking variable with a value in the image config or its history',
      historyUnavailable: 'no secret-looking variable in the image config, but the history could not be read: {{reason}}',
    },
  },
  options: z.object({
    /** Variable names never reported (exact, case-insensitive), for known non-secrets. */
    ignoreNames: z._default(z.array(z.string().check(z.minLength(1))), []),
  }),
  check: forEachImage((image, { options }) => {
    const ignored = new Set(options.ignoreNames.map((name) => name.toUpperCase()));
    const found = new Map<string, Set<string>>();
    const record = (name: string, value: string, source: string): void => {
      if (value === '' || ignored.has(name.toUpperCase()) || !isSecretName(name)) return;
      found.set(name, (found.get(name) ?? new Set()).add(source));
    };
    for (const entry of strings(obj(image.inspect, 'Config'), 'Env')) {
      const separator = entry.indexOf('=');
      if (separator > 0) record(entry.slice(0, separator), entry.slice(separator + 1), 'image config');
    }
    const history = readHistory(image);
    if ('entries' in history) {
      for (const entry of instructionsOf(history.entries)) {
        if (entry.instruction === 'ENV' || entry.instruction === 'ARG') {
          for (const [name, value] of assignments(entry.args)) record(name, value, entry.instruction);
        }
        for (const [name, value] of Object.entries(entry.buildArgs)) record(name, value, 'RUN build argument');
      }
    }
    const names = [...found].map(([name, sources]) => `${name} (${[...sources].join(', ')})`).join(', ');
    if ('reason' in history) {
      return found.size > 0
        ? { status: 'fail', messageId: 'secretsHistoryUnread', data: { count: found.size, names, reason: history.reason } }
        : { status: 'skipped', messageId: 'historyUnavailable', data: { reason: history.reason } };
    }
    return found.size > 0 ? { status: 'fail', messageId: 'secrets', data: { count: found.size, names } } : { status: 'pass', messageId: 'clean' };
  }),
});
