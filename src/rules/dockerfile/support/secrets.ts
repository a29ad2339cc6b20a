/**
 * What a secret looks like: variable names that announce one, values shaped like a known kind
 * of credential, and file names that hold keys or credentials. Values are never returned, only
 * the kind of secret, so no message can print one.
 */
export { isSecretName, secretShape } from '../../shared/secrets.js';

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
