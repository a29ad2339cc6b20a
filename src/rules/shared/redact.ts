/**
 * Command lines, healthchecks and build steps as a message may show them: every value that the
 * secret detector of `secrets.ts` would call a secret is replaced by `***` first. One helper for
 * every rule that quotes such text, so a password given on a command line is hidden the same
 * way everywhere:
 *
 * - the value of an assignment or flag whose name says it holds a secret (`PGPASSWORD=x`,
 *   `--password=x`, `--password x`, `-token=x`, `"password=x host=db"`, `X-Api-Key: x`);
 * - the password options of database and login clients (`mysql -px`, `mongosh -p x`,
 *   `redis-cli -a x`, `sqlcmd -P x`, `sshpass -p x`, `curl -u user:x`);
 * - anything shaped like a known credential, and the password of a `user:password@host` URL.
 *
 * The scan is one pass over the text; only the first `SCAN_LIMIT` characters are read, since a
 * message never shows more.
 */
import { isSecretName, maskSecretShapes } from './secrets.js';

/** What replaces a secret in a message. */
export const REDACTED = '***';

/** Characters read from one text; what a message shows is always shorter. */
const SCAN_LIMIT = 4096;

/** Option names that hold a password without the secret detector calling them secret on their own. */
const PASSWORD_OPTIONS: ReadonlySet<string> = new Set(['PASS', 'PW']);

/** A client's short option that takes a password, and whether it may be glued to its value (`-pX`). */
interface ClientPasswordOption {
  option: string;
  glued: boolean;
}

function clients(names: readonly string[], option: string, glued: boolean): [string, ClientPasswordOption][] {
  return names.map((name) => [name, { option, glued }]);
}

const CLIENT_PASSWORD_OPTIONS: ReadonlyMap<string, ClientPasswordOption> = new Map([
  ...clients(['mysql', 'mariadb', 'mysqladmin', 'mysqldump', 'mysqlimport', 'mysqlcheck', 'mysqlpump', 'mysqlsh', 'mariadb-admin', 'mariadb-dump', 'mariadb-check', 'mariadb-import'], '-p', true),
  ...clients(['mongo', 'mongosh', 'mongodump', 'mongorestore', 'mongoexport', 'mongoimport', 'mongostat', 'mongotop', 'sshpass', 'influx'], '-p', false),
  ...clients(['redis-cli', 'keydb-cli', 'valkey-cli'], '-a', true),
  ...clients(['sqlcmd', 'bcp', 'osql', 'isql'], '-P', true),
]);

/** Options whose value is `user:password` (curl, wget's proxy, httpie's --auth). */
const USER_PASSWORD_OPTIONS: ReadonlySet<string> = new Set(['-u', '--user', '--proxy-user', '-U', '--auth', '-a']);
/** Programs that take `USER_PASSWORD_OPTIONS`. */
const USER_PASSWORD_CLIENTS: ReadonlySet<string> = new Set(['curl', 'http', 'https', 'xh']);

/** An HTTP header that carries a credential, and the schemes written before the credential itself. */
const AUTHORIZATION = /^(?:proxy-)?authorization:$/i;
const AUTH_SCHEME = /^(?:bearer|basic|token|digest)$/i;

const QUOTES = '"\'`';
const SEPARATORS = ';&|()<>';

function isSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\f' || char === '\v';
}

/** Ends a word: space, a quote or a shell separator. */
function endsWord(char: string | undefined): boolean {
  return char === undefined || isSpace(char) || QUOTES.includes(char) || SEPARATORS.includes(char);
}

/** Whether a flag or variable name (`--db-password`, `PGPASSWORD`, `api.key`) names a secret. */
function isSecretKey(key: string): boolean {
  const name = key.replace(/^-+/, '');
  if (name === '') return false;
  const normalised = name.replace(/[^A-Za-z0-9]+/g, '_');
  return isSecretName(normalised) || PASSWORD_OPTIONS.has(normalised.toUpperCase());
}

/**
 * The end of the value that starts at `start`: a quoted string (to its closing quote, or to the
 * end of the text), then more of the same word; it stops at a space or separator.
 */
function valueEnd(text: string, start: number): number {
  let index = start;
  while (index < text.length) {
    const char = text[index] as string;
    if (QUOTES.includes(char)) {
      const close = text.indexOf(char, index + 1);
      // A quote that nothing closes is the end of an enclosing string (`sh -c 'mysql -px'`),
      // unless the value starts with it.
      if (close === -1) return index === start ? text.length : index;
      index = close + 1;
    } else if (isSpace(char) || SEPARATORS.includes(char)) {
      return index;
    } else {
      index += 1;
    }
  }
  return index;
}

/** The start of the next word after `from`, skipping spaces only; undefined at a separator or the end. */
function nextValueStart(text: string, from: number): number | undefined {
  let index = from;
  while (isSpace(text[index])) index += 1;
  if (index >= text.length || SEPARATORS.includes(text[index] as string)) return undefined;
  return index;
}

/** Whether the value at `start` is another option, not the previous one's value. */
function isOption(text: string, start: number): boolean {
  return text[start] === '-';
}

/** Spans `[start, end)` of `text` that hold secret values, in order, not overlapping. */
function secretSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let client = '';
  let index = 0;
  const hide = (start: number, end: number): void => {
    if (end > start) spans.push([start, end]);
    index = Math.max(index, end);
  };
  while (index < text.length) {
    const char = text[index] as string;
    if (SEPARATORS.includes(char) || char === '\n') client = '';
    if (endsWord(char)) {
      index += 1;
      continue;
    }
    const start = index;
    while (!endsWord(text[index]) && text[index] !== '=') index += 1;
    if (text[index] === '=') {
      // `NAME=value`, `--name=value`, and one level of `--env=NAME=value`.
      const key = text.slice(start, index);
      if (isSecretKey(key)) {
        hide(index + 1, valueEnd(text, index + 1));
        continue;
      }
      if (key.startsWith('-')) {
        const innerStart = index + 1;
        let inner = innerStart;
        while (!endsWord(text[inner]) && text[inner] !== '=') inner += 1;
        if (text[inner] === '=' && isSecretKey(text.slice(innerStart, inner))) {
          hide(inner + 1, valueEnd(text, inner + 1));
          continue;
        }
        if (USER_PASSWORD_OPTIONS.has(key) && USER_PASSWORD_CLIENTS.has(client)) {
          hideUserPassword(text, index + 1, hide);
          continue;
        }
      }
      index = valueEnd(text, index);
      continue;
    }
    const word = text.slice(start, index);
    const program = word.slice(word.lastIndexOf('/') + 1);
    if (CLIENT_PASSWORD_OPTIONS.has(program) || USER_PASSWORD_CLIENTS.has(program)) {
      client = program;
      continue;
    }
    const clientOption = CLIENT_PASSWORD_OPTIONS.get(client);
    if (clientOption !== undefined && word.startsWith(clientOption.option)) {
      if (word === clientOption.option) {
        const value = nextValueStart(text, index);
        if (value !== undefined && !isOption(text, value)) hide(value, valueEnd(text, value));
      } else if (clientOption.glued) {
        hide(start + clientOption.option.length, valueEnd(text, start + clientOption.option.length));
      }
      continue;
    }
    if (USER_PASSWORD_CLIENTS.has(client) && word.startsWith('-u') && word.length > 2 && !word.startsWith('--')) {
      hideUserPassword(text, start + 2, hide);
      continue;
    }
    const takesValue =
      (word.startsWith('-') && isSecretKey(word)) ||
      (word.endsWith(':') && (isSecretKey(word.slice(0, -1)) || AUTHORIZATION.test(word))) ||
      (USER_PASSWORD_CLIENTS.has(client) && USER_PASSWORD_OPTIONS.has(word));
    if (!takesValue) continue;
    const value = nextValueStart(text, index);
    if (value === undefined || isOption(text, value)) continue;
    if (USER_PASSWORD_OPTIONS.has(word) && !isSecretKey(word)) hideUserPassword(text, value, hide);
    else if (AUTH_SCHEME.test(text.slice(value, valueEnd(text, value)))) {
      // `Authorization: Bearer x`: the scheme stays, the credential goes.
      const scheme = valueEnd(text, value);
      const credential = nextValueStart(text, scheme);
      hide(credential ?? value, valueEnd(text, credential ?? value));
    } else hide(value, valueEnd(text, value));
  }
  return spans;
}

/** In `user:password`, the password; a value without a colon is hidden whole (curl then asks, or it is a token). */
function hideUserPassword(text: string, start: number, hide: (start: number, end: number) => void): void {
  const end = valueEnd(text, start);
  const colon = text.indexOf(':', start);
  hide(colon !== -1 && colon < end ? colon + 1 : start, end);
}

/** `text` with every secret value replaced by `***`; see the module comment for what counts. */
export function redactSecrets(text: string): string {
  const spans = secretSpans(text);
  let redacted = '';
  let copied = 0;
  for (const [start, end] of spans) {
    if (start < copied) continue;
    redacted += text.slice(copied, start) + REDACTED;
    copied = end;
  }
  redacted += text.slice(copied);
  return maskSecretShapes(redacted, REDACTED);
}

/**
 * A command line, healthcheck or build step as a message shows it: secrets redacted, on one line,
 * at most `maxLength` characters (`...` marks a cut). Redacting comes first, so a cut never
 * leaves part of a secret that no longer looks like one.
 */
export function shownCommand(text: string, maxLength = 200): string {
  const line = redactSecrets(text.slice(0, Math.max(SCAN_LIMIT, maxLength))).replace(/\s+/g, ' ').trim();
  return line.length > maxLength ? `${line.slice(0, maxLength - 3)}...` : line;
}
