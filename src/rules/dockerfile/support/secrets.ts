/**
 * What a secret looks like: variable names that announce one, values shaped like a known kind
 * of credential, and file names that hold keys or credentials. Values are never returned, only
 * the kind of secret, so no message can print one.
 */
export { isSecretName } from '../../secrets.js';

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

/**
 * What every shape above contains (a marker of each, in the same order): a value without any of
 * them needs no further test. `://user:` for a password in a URL, so that plain URLs pass here.
 */
const ANY_SHAPE = /-----BEGIN |A(?:KIA|SIA|GPA|IDA|ROA|NPA|NVA|IPA)|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|hooks\.slack\.com\/|AIza|[sr]k_live_|npm_|pypi-|eyJ|:\/\/[^\s:/@$]+:/;

/** The kind of credential a value contains, by its shape; undefined when it looks like none. */
export function secretShape(value: string): string | undefined {
  // Every shape is at least this long; most words are shorter and need no regex at all.
  if (value.length < 12 || !ANY_SHAPE.test(value)) return undefined;
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
