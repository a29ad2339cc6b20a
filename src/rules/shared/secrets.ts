/**
 * Whether a variable's name says it holds a secret, and what kind of credential a value is
 * shaped like: one answer for Dockerfiles, Compose files, image histories and swarm services,
 * so a name or a value is a secret everywhere or nowhere. Values are never returned, only the
 * kind of secret, so no message can print one.
 */

/** Name words that mark a secret on their own. */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'PRIVATEKEY', 'ACCESSKEY', 'SECRETKEY',
]);

/** Short forms that mark a secret only as the last word (`DB_PASS`, `MYSQL_PWD`; not `PASS_THROUGH`). */
const SHORT_SECRET_WORDS: ReadonlySet<string> = new Set(['PASS', 'PWD', 'PW']);

/**
 * Accounts and services whose name is glued to a short secret word as the last word
 * (`LDAP_ROOTPASS`, `ADMINPWD`, `VNCPW`). A closed list, so `BYPASS`, `COMPASS` and `SURPASS`
 * stay harmless.
 */
const GLUED_SHORT_PREFIXES: ReadonlySet<string> = new Set([
  'ROOT', 'ADMIN', 'DB', 'USER', 'MASTER', 'SMTP', 'MAIL', 'LDAP', 'BIND', 'KEYSTORE', 'TRUSTSTORE', 'STORE', 'KEY', 'RPC', 'WEB', 'SERVER',
  'CLIENT', 'APP', 'API', 'REDIS', 'MYSQL', 'PG', 'POSTGRES', 'MONGO', 'RABBIT', 'FTP', 'VNC', 'SSH', 'PROXY', 'AUTH', 'SA', 'SUPERUSER', 'SYS',
]);

/** `ROOTPASS` → true: a known account or service with PASS, PWD or PW glued on. */
function isGluedShortSecret(word: string): boolean {
  for (const short of SHORT_SECRET_WORDS) {
    if (word.length > short.length && word.endsWith(short) && GLUED_SHORT_PREFIXES.has(word.slice(0, -short.length))) return true;
  }
  return false;
}

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
  if (isGluedShortSecret(last)) return true;
  return parts.some(
    (word, index) =>
      SECRET_WORDS.has(word) ||
      SECRET_SUFFIXES.some((suffix) => word.length > suffix.length && word.endsWith(suffix)) ||
      (word === 'KEY' && index > 0 && KEY_QUALIFIERS.has(parts[index - 1] ?? '')) ||
      (word === 'STRING' && parts[index - 1] === 'CONNECTION'),
  );
}

/** Shapes of known credentials, with the article their name takes in a sentence. */
const VALUE_SHAPES: readonly { kind: string; article: 'a' | 'an'; pattern: RegExp }[] = [
  { kind: 'private key', article: 'a', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'AWS access key id', article: 'an', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b/ },
  { kind: 'GitHub token', article: 'a', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { kind: 'GitLab token', article: 'a', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { kind: 'Slack token', article: 'a', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { kind: 'Slack webhook', article: 'a', pattern: /hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+/ },
  { kind: 'Google API key', article: 'a', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'Stripe secret key', article: 'a', pattern: /\b[sr]k_live_[0-9A-Za-z]{20,}\b/ },
  { kind: 'npm token', article: 'an', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: 'PyPI token', article: 'a', pattern: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/ },
  { kind: 'SendGrid key', article: 'a', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { kind: 'JSON Web Token', article: 'a', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  // `scheme://user:password@host` (the user may be empty: `redis://:password@redis`); a password
  // with a `$` in it is a variable reference, not a value.
  { kind: 'URL with a password in it', article: 'a', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@$]*:[^\s@/$]{3,}@[\w.-]+/i },
];

/**
 * What every shape above contains (a marker of each, in the same order): a value without any of
 * them needs no further test. `://user:` for a password in a URL, so that plain URLs pass here.
 */
const ANY_SHAPE = /-----BEGIN |A(?:KIA|SIA|GPA|IDA|ROA|NPA|NVA|IPA)|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|hooks\.slack\.com\/|AIza|[sr]k_live_|npm_|pypi-|SG\.|eyJ|:\/\/[^\s:/@$]*:/;

function shapeOf(value: string): (typeof VALUE_SHAPES)[number] | undefined {
  // Every shape is at least this long; most words are shorter and need no regex at all.
  if (value.length < 12 || !ANY_SHAPE.test(value)) return undefined;
  return VALUE_SHAPES.find((shape) => shape.pattern.test(value));
}

/** The kind of credential a value contains, by its shape (`GitHub token`); undefined when it looks like none. */
export function secretShape(value: string): string | undefined {
  return shapeOf(value)?.kind;
}

/** The same kind with its article, for a sentence (`a GitHub token`, `an AWS access key id`). */
export function secretShapeInSentence(value: string): string | undefined {
  const shape = shapeOf(value);
  return shape === undefined ? undefined : `${shape.article} ${shape.kind}`;
}

/** Values that switch a feature rather than hold a secret (`MYSQL_ALLOW_EMPTY_PASSWORD: "yes"`). */
export function isPlaceholderValue(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '') return true;
  if (/^(true|false|yes|no|on|off|y|n|none|null|random)$/i.test(trimmed)) return true;
  if (/^\d{1,3}$/.test(trimmed)) return true;
  // A path to a file that holds the secret (`/run/secrets/db_password`) is the recommended way.
  return /^\/run\/secrets\//.test(trimmed);
}

/**
 * The fallback a value writes in the file when it is exactly one `${VAR:-fallback}` or
 * `${VAR-fallback}` with a literal fallback: whatever `.env` says, the file holds that value.
 */
export function writtenDefault(written: string | undefined): string | undefined {
  const match = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^${}]*)\}$/.exec(written ?? '');
  return match?.[1];
}

/** The shapes above, global, for finding every occurrence in a longer text; the URL shape is masked by hand. */
const GLOBAL_SHAPES: readonly RegExp[] = VALUE_SHAPES.filter((shape) => shape.kind !== 'URL with a password in it' && shape.kind !== 'private key').map(
  (shape) => new RegExp(shape.pattern.source, `${shape.pattern.flags}g`),
);

/** A private key from its first line to its last, or to the end of the text when the end is missing. */
const PRIVATE_KEY_BLOCK = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g;

/**
 * `text` with every stretch shaped like a known credential replaced by `marker`. In a URL only
 * the password is replaced (`https://deploy:***@registry`), so scheme, user and host stay
 * readable; unlike the URL shape above, a password that is a `$VARIABLE` is masked too.
 */
export function maskSecretShapes(text: string, marker: string): string {
  let masked = maskUrlPasswords(text, marker);
  if (!ANY_SHAPE.test(masked)) return masked;
  masked = masked.replace(PRIVATE_KEY_BLOCK, marker);
  for (const pattern of GLOBAL_SHAPES) masked = masked.replace(pattern, marker);
  return masked;
}

/**
 * `scheme://user:password@host` -> `scheme://user:<marker>@host`, found from each `://` with
 * scans that stop at the next `/`, so the work stays linear in the text's length.
 */
function maskUrlPasswords(text: string, marker: string): string {
  let result = '';
  let copied = 0;
  for (let found = text.indexOf('://'); found !== -1; found = text.indexOf('://', found + 3)) {
    const start = found + 3;
    let colon = -1;
    let at = -1;
    for (let index = start; index < text.length; index += 1) {
      const char = text[index] as string;
      if (char === '@') {
        at = index;
        break;
      }
      if (char === '/' || /\s/.test(char)) break;
      if (char === ':' && colon === -1) colon = index;
    }
    if (colon === -1 || at === -1 || at === colon + 1) continue;
    result += text.slice(copied, colon + 1) + marker;
    copied = at;
  }
  return copied === 0 ? text : result + text.slice(copied);
}
