/**
 * Recognising secrets in variables without ever showing them: by the variable's name
 * (`DB_PASSWORD`, `API_KEY`, `GITHUB_TOKEN`) and by the shape of the value (cloud keys,
 * tokens with a known prefix, private keys, JWTs, URLs with a password in them).
 */
export { isSecretName } from '../../secrets.js';

/** Values that switch a feature rather than hold a secret (`MYSQL_ALLOW_EMPTY_PASSWORD: "yes"`). */
export function isPlaceholderValue(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '') return true;
  if (/^(true|false|yes|no|on|off|y|n|none|null|random)$/i.test(trimmed)) return true;
  if (/^\d{1,3}$/.test(trimmed)) return true;
  // A path to a file that holds the secret (`/run/secrets/db_password`) is the recommended way.
  return /^\/run\/secrets\//.test(trimmed);
}

const VALUE_SHAPES: { shape: string; pattern: RegExp }[] = [
  { shape: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { shape: 'an AWS access key', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { shape: 'a GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { shape: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { shape: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { shape: 'a Stripe secret key', pattern: /\b[sr]k_live_[A-Za-z0-9]{20,}\b/ },
  { shape: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { shape: 'an npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { shape: 'a SendGrid key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { shape: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
];

/** `scheme://user:password@host`, with a real password (not empty, not a `${...}` left over). */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:([^/@\s]+)@/i;

/** What a value looks like, when it has the shape of a known kind of secret. */
export function secretShape(value: string): string | undefined {
  const found = VALUE_SHAPES.find((candidate) => candidate.pattern.test(value));
  if (found) return found.shape;
  const url = URL_WITH_PASSWORD.exec(value.trim());
  if (url && !/^\$\{?/.test(url[1] ?? '')) return 'a URL with a password in it';
  return undefined;
}

/**
 * The fallback a value writes in the file when it is exactly one `${VAR:-fallback}` or
 * `${VAR-fallback}` with a literal fallback: whatever `.env` says, the file holds that value.
 */
export function writtenDefault(written: string | undefined): string | undefined {
  const match = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^${}]*)\}$/.exec(written ?? '');
  return match?.[1];
}
