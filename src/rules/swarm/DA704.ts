import * as z from '../../zod.js';
import { type ApiDocument } from '../../views/workload.js';
import { arr, envRecord, str, strings } from '../../snapshot/api-document.js';
import { isPlaceholderValue, isSecretName, secretShapeInSentence } from '../shared/secrets.js';
import { defineRule, listOf } from '../define.js';
import { forEachService, plural } from './support/swarm.js';

/**
 * A variable that carries a secret, described for a message (`DB_PASSWORD`, or
 * `DEPLOY (a GitHub token)` when the value gives it away), else undefined. The same
 * recognition as for Compose files, so a variable is judged alike wherever it is set.
 */
function exposedSecret(name: string, value: string, extraNames: RegExp[]): string | undefined {
  // Empty values, switches (`MYSQL_ALLOW_EMPTY_PASSWORD=yes`) and /run/secrets paths hold no secret.
  if (isPlaceholderValue(value)) return undefined;
  const shape = secretShapeInSentence(value);
  if (shape !== undefined) return `${name} (${shape})`;
  return isSecretName(name) || extraNames.some((pattern) => pattern.test(name)) ? name : undefined;
}

function isPattern(source: string): boolean {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}

function attachedSecrets(containerSpec: ApiDocument | undefined): string[] {
  return arr(containerSpec, 'Secrets').map((entry) => str(entry as ApiDocument, 'SecretName') || str(entry as ApiDocument, 'SecretID'));
}

export default defineRule({
  meta: {
    id: 'DA704',
    alias: 'swarm-secrets-in-env',
    family: 'swarm',
    title: 'Swarm services get their secrets from Docker secrets, not environment variables',
    severity: 'high',
    rationale:
      'An environment variable is part of the service definition: the API returns it to anyone who can run docker service inspect or docker inspect on a task, it is copied into every task container, inherited by child processes and often dumped in crash reports and logs. A Docker secret is never returned by the API once created, is sent only to the nodes running the service and is mounted in memory under /run/secrets.',
    remediation:
      'Create the secret (printf %s "$value" | docker secret create db_password -), give it to the service (--secret db_password) and point the program at /run/secrets/db_password (many images read a NAME_FILE variable for this); then remove the variable from the service.',
    references: { cis: ['7.4'], checklist: [] },
    needs: ['swarm'],
    messages: {
      inEnvironment: 'passes {{names}} as environment variables with their value in the service definition (Docker secrets attached: {{attached}})',
      usesSecrets: 'gets {{count}} from Docker secrets ({{secrets}}) and no secret-looking environment variable carries a value',
      noneSeen: 'no environment variable looks like a secret, and no Docker secret is attached',
    },
  },
  options: z.object({
    /** Extra variable-name patterns (regular expressions, case-insensitive) that hold secrets. */
    extraNames: z._default(z.array(z.string().check(z.minLength(1), z.refine(isPattern, { message: 'extraNames holds an invalid regular expression' }))), []),
    /** Variable names never treated as secrets (a public client id, a test value). */
    ignoreNames: z._default(z.array(z.string().check(z.minLength(1))), []),
  }),
  check: forEachService((_service, containerSpec, { options }) => {
    const extra = options.extraNames.map((pattern) => new RegExp(pattern, 'i'));
    const ignored = new Set(options.ignoreNames);
    const env = envRecord(strings(containerSpec, 'Env'));
    // Names, and the kind of secret a value has the shape of: values never leave this function.
    const exposed = Object.entries(env)
      .filter(([name]) => !ignored.has(name))
      .map(([name, value]) => exposedSecret(name, value, extra))
      .filter((described): described is string => described !== undefined);
    const secrets = attachedSecrets(containerSpec);
    if (exposed.length > 0) {
      return { status: 'fail', messageId: 'inEnvironment', data: { names: listOf(exposed), attached: listOf(secrets) } };
    }
    return secrets.length > 0
      ? { status: 'pass', messageId: 'usesSecrets', data: { count: plural(secrets.length, 'secret'), secrets: listOf(secrets) } }
      : { status: 'pass', messageId: 'noneSeen' };
  }),
});
