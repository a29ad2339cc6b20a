import { z } from 'zod';
import { envRecord } from '../../snapshot/from-service.js';
import { arr, str, strings, type ApiDocument } from '../../snapshot/workload.js';
import { defineRule, listOf } from '../define.js';
import { forEachService, plural } from './support/swarm.js';

/** Name parts that say a variable holds a secret (`DB_PASSWORD`, `GITHUB_TOKEN`, `JWT_SECRET`). */
const SECRET_PARTS = new Set([
  'PASSWORD', 'PASSWD', 'PASS', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'PRIVATEKEY',
]);

/**
 * Last name parts that make a secret-sounding variable harmless: it names where the secret is
 * (`DB_PASSWORD_FILE`, the Docker secrets convention), or something about it (`TOKEN_TTL`).
 */
const HARMLESS_LAST_PARTS = new Set([
  'FILE', 'PATH', 'DIR', 'ID', 'NAME', 'USER', 'USERNAME', 'URL', 'URI', 'HOST', 'PORT', 'TTL', 'TIMEOUT', 'EXPIRY',
  'EXPIRES', 'LENGTH', 'SIZE', 'MIN', 'MAX', 'ENABLED', 'REQUIRED', 'POLICY', 'TYPE', 'ALGORITHM',
]);

/** Credentials inside a URL: `postgres://app:s3cret@db/app`. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/** Where Docker mounts the secrets a service is given. */
const SECRETS_DIRECTORY = '/run/secrets/';

function looksSecret(name: string, value: string, extra: RegExp[]): boolean {
  if (value === '' || value.startsWith(SECRETS_DIRECTORY)) return false;
  if (URL_WITH_PASSWORD.test(value)) return true;
  if (extra.some((pattern) => pattern.test(name))) return true;
  const parts = name.toUpperCase().split(/[_.-]+/).filter(Boolean);
  const last = parts[parts.length - 1] ?? '';
  if (HARMLESS_LAST_PARTS.has(last)) return false;
  // `API_KEY`, `SECRET_KEY`, `ENCRYPTION_KEY`: a trailing KEY is a key, `KEY_ID` is not.
  return parts.some((part) => SECRET_PARTS.has(part)) || (last === 'KEY' && parts.length > 1);
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
    extraNames: z.array(z.string().min(1).refine(isPattern, { message: 'extraNames holds an invalid regular expression' })).default([]),
    /** Variable names never treated as secrets (a public client id, a test value). */
    ignoreNames: z.array(z.string().min(1)).default([]),
  }),
  check: forEachService((_service, containerSpec, { options }) => {
    const extra = options.extraNames.map((pattern) => new RegExp(pattern, 'i'));
    const ignored = new Set(options.ignoreNames);
    const env = envRecord(strings(containerSpec, 'Env'));
    // Names only: values never leave this function.
    const exposed = Object.entries(env)
      .filter(([name, value]) => !ignored.has(name) && looksSecret(name, value, extra))
      .map(([name]) => name);
    const secrets = attachedSecrets(containerSpec);
    if (exposed.length > 0) {
      return { status: 'fail', messageId: 'inEnvironment', data: { names: listOf(exposed), attached: listOf(secrets) } };
    }
    return secrets.length > 0
      ? { status: 'pass', messageId: 'usesSecrets', data: { count: plural(secrets.length, 'secret'), secrets: listOf(secrets) } }
      : { status: 'pass', messageId: 'noneSeen' };
  }),
});
