/**
 * What a secret looks like: variable names that announce one, values shaped like a known kind
 * of credential, and file names that hold keys or credentials. Values are never returned, only
 * the kind of secret, so no message can print one.
 */

/** Name parts that mean the variable holds a secret. */
const SECRET_WORDS: ReadonlySet<string> = new Set(['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'PRIVATEKEY']);
/** Two-part names that mean a secret though neither part alone does (`API_KEY`, not `GPG_KEY`). */
const SECRET_PAIRS: ReadonlySet<string> = new Set([
  'API_KEY', 'PRIVATE_KEY', 'ACCESS_KEY', 'SECRET_KEY', 'AUTH_KEY', 'ENCRYPTION_KEY', 'SIGNING_KEY', 'MASTER_KEY', 'ACCOUNT_KEY', 'SSH_KEY', 'LICENSE_KEY', 'CONNECTION_STRING', 'SAS_KEY', 'CLIENT_KEY',
]);
/** Names ending like this point at a secret or describe one without holding it. */
const POINTER_SUFFIXES: ReadonlySet<string> = new Set([
  'FILE', 'PATH', 'DIR', 'LOCATION', 'URL', 'URI', 'ENDPOINT', 'HOST', 'PORT', 'NAME', 'ID', 'LENGTH', 'LEN', 'SIZE', 'TTL', 'TIMEOUT', 'EXPIRY', 'EXPIRES', 'EXPIRATION',
  'TYPE', 'FORMAT', 'ALGORITHM', 'HEADER', 'ENABLED', 'REQUIRED', 'POLICY', 'MODE', 'PROVIDER', 'ISSUER', 'AUDIENCE', 'SCOPE', 'SCOPES', 'VERSION', 'REF', 'ARN',
]);

/** Whether a variable name announces a secret (`DB_PASSWORD`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`). */
export function isSecretName(name: string): boolean {
  const parts = name.toUpperCase().split(/[_.-]+/).filter(Boolean);
  if (parts.length === 0) return false;
  if (POINTER_SUFFIXES.has(parts.at(-1) as string) && parts.length > 1) return false;
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index] as string;
    if (SECRET_WORDS.has(part)) return true;
    if (index + 1 < parts.length && SECRET_PAIRS.has(`${part}_${parts[index + 1]}`)) return true;
  }
  // DB_PASS, MYSQL_PWD: short forms only as the last part, never the shell's PWD itself.
  const last = parts.at(-1) as string;
  return parts.length > 1 && (last === 'PASS' || last === 'PWD' || last === 'PW');
}

/** A value too plain to be a secret: empty, a boolean, a number, a path, a placeholder. */
export function isPlainValue(value: string): boolean {
  const trimmed = value.trim();
  return (
    trimmed === '' ||
    /^(true|false|yes|no|on|off|none|null|nil|disabled?|enabled?)$/i.test(trimmed) ||
    /^\d{1,6}$/.test(trimmed) ||
    /^\/[\w./-]*$/.test(trimmed) ||
    /^<[^>]*>$/.test(trimmed)
  );
}

const VALUE_SHAPES: readonly { kind: string; pattern: RegExp }[] = [
  { kind: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b/ },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})\b/ },
  { kind: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { kind: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { kind: 'Slack webhook', pattern: /hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+/ },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'Stripe secret key', pattern: /\b[sr]k_live_[0-9A-Za-z]{20,}\b/ },
  { kind: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: 'PyPI token', pattern: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/ },
  { kind: 'JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { kind: 'password in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@$]+:[^\s@/$]{3,}@[\w.-]+/i },
];

/** The kind of credential a value contains, by its shape; undefined when it looks like none. */
export function secretShape(value: string): string | undefined {
  // Every shape is at least this long; most words are shorter and need no regex at all.
  if (value.length < 12) return undefined;
  return VALUE_SHAPES.find((shape) => shape.pattern.test(value))?.kind;
}

/** Files that hold keys or credentials, by name or path. */
const SECRET_FILES: readonly { kind: string; test: (path: string, base: string) => boolean }[] = [
  { kind: 'SSH private key', test: (_, base) => /^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/.test(base) || base === 'identity' },
  { kind: 'SSH directory', test: (path, base) => base === '.ssh' || /(^|\/)\.ssh\/?$/.test(path) },
  { kind: 'private key', test: (_, base) => /\.(key|p12|pfx|jks|keystore)$/i.test(base) || /(^|[._-])(priv|private)?key\.pem$/i.test(base) || /(^|[._-])privkey/i.test(base) },
  { kind: '.env file', test: (_, base) => /^\.env(\..+)?$/.test(base) && !/\.(example|sample|template|dist|defaults?)$/.test(base) },
  { kind: 'AWS credentials', test: (path, base) => /(^|\/)\.aws(\/credentials)?\/?$/.test(path) || (base === 'credentials' && path.includes('.aws')) },
  { kind: 'npm credentials', test: (_, base) => base === '.npmrc' },
  { kind: 'Python package index credentials', test: (_, base) => base === '.pypirc' },
  { kind: 'git credentials', test: (_, base) => base === '.git-credentials' },
  { kind: 'Docker registry credentials', test: (path) => /(^|\/)\.docker(\/config\.json)?\/?$/.test(path) },
  { kind: 'netrc credentials', test: (_, base) => base === '.netrc' || base === '_netrc' },
  { kind: 'PostgreSQL password file', test: (_, base) => base === '.pgpass' },
  { kind: 'Kubernetes credentials', test: (path, base) => base === 'kubeconfig' || /(^|\/)\.kube(\/config)?\/?$/.test(path) },
  { kind: 'cloud credentials', test: (_, base) => /^(credentials|service[-_]?account.*|gcloud[-_]?key.*|application_default_credentials)\.json$/i.test(base) },
  { kind: 'htpasswd file', test: (_, base) => base === '.htpasswd' },
];

/** The kind of secret a copied path holds, or undefined. */
export function secretFileKind(path: string): string | undefined {
  const trimmed = path.replace(/\/+$/, '');
  const base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  if (base.endsWith('.pub')) return undefined;
  return SECRET_FILES.find((candidate) => candidate.test(trimmed, base))?.kind;
}
