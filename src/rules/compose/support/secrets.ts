/**
 * Recognising secrets in variables without ever showing them: by the variable's name
 * (`DB_PASSWORD`, `API_KEY`, `GITHUB_TOKEN`) and by the shape of the value (cloud keys,
 * tokens with a known prefix, private keys, JWTs, URLs with a password in them).
 */
export { isSecretName, secretShapeInSentence } from '../../secrets.js';

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
