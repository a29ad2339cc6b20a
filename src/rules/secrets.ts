/**
 * Whether a variable's name says it holds a secret: one answer for Dockerfiles, Compose files,
 * image histories and swarm services, so a name is a secret everywhere or nowhere.
 */

/** Name words that mark a secret on their own. */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'PRIVATEKEY', 'ACCESSKEY', 'SECRETKEY',
]);

/** Short forms that mark a secret only as the last word (`DB_PASS`, `MYSQL_PWD`; not `PASS_THROUGH`). */
const SHORT_SECRET_WORDS: ReadonlySet<string> = new Set(['PASS', 'PWD', 'PW']);

/** Words that make a secret when followed by KEY (`API_KEY`, `ACCESS_KEY`; not `GPG_KEY`). */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'API', 'ACCESS', 'PRIVATE', 'SECRET', 'AUTH', 'SIGNING', 'ENCRYPTION', 'MASTER', 'ACCOUNT', 'LICENSE', 'APP', 'SSH', 'SAS', 'CLIENT',
]);

/** Long secret words also recognised at the end of a longer word (`WEBPASSWORD`, `APITOKEN`). */
const SECRET_SUFFIXES: readonly string[] = ['PASSWORD', 'PASSWD', 'SECRET', 'TOKEN', 'APIKEY'];

/** Last words that say the variable points at or describes a secret without holding it. */
const NOT_THE_SECRET: ReadonlySet<string> = new Set([
  'FILE', 'PATH', 'DIR', 'LOCATION', 'URL', 'URI', 'ENDPOINT', 'HOST', 'PORT', 'NAME', 'ID', 'USER', 'USERNAME', 'LENGTH', 'LEN', 'SIZE',
  'MIN', 'MAX', 'TTL', 'TIMEOUT', 'LIFETIME', 'EXPIRY', 'EXPIRES', 'EXPIRATION', 'TYPE', 'FORMAT', 'KIND', 'MODE', 'ALGORITHM', 'ALG',
  'HEADER', 'ENABLED', 'ENABLE', 'DISABLED', 'REQUIRED', 'POLICY', 'PROVIDER', 'ISSUER', 'AUDIENCE', 'SCOPE', 'SCOPES', 'VERSION', 'REF',
  'ARN', 'REGION', 'FIELD', 'PARAM', 'PREFIX', 'SUFFIX', 'COUNT', 'RESET', 'ROTATION', 'COMPLEXITY', 'STRENGTH', 'ATTEMPTS', 'RETRIES',
  'CACHE', 'STORE', 'BACKEND',
]);

/** The shell's working directories look like secrets and are not. */
const KNOWN_HARMLESS: ReadonlySet<string> = new Set(['PWD', 'OLDPWD']);

/** `dbPassword`, `DB_PASSWORD`, `db.password` → `DB`, `PASSWORD`. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
}

/** Whether a variable's name says it holds a secret (`DB_PASSWORD`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`). */
export function isSecretName(name: string): boolean {
  if (KNOWN_HARMLESS.has(name.toUpperCase())) return false;
  const parts = words(name);
  const last = parts.at(-1);
  if (last === undefined || (parts.length > 1 && NOT_THE_SECRET.has(last))) return false;
  if (parts.length > 1 && SHORT_SECRET_WORDS.has(last)) return true;
  return parts.some(
    (word, index) =>
      SECRET_WORDS.has(word) ||
      SECRET_SUFFIXES.some((suffix) => word.length > suffix.length && word.endsWith(suffix)) ||
      (word === 'KEY' && index > 0 && KEY_QUALIFIERS.has(parts[index - 1] ?? '')) ||
      (word === 'STRING' && parts[index - 1] === 'CONNECTION'),
  );
}
