/**
 * Downloads in RUN commands: which URLs a curl or wget fetches, and the file it saves them to
 * (`-o`, `-O`, `--output-document`, a `>` redirect, or the URL's own name); which files a
 * command runs (`sh x.sh`, `./x`, `. x`); and whether a RUN checks a checksum or signature.
 */
import { POSIX_SHELLS, shellScriptArgument, type ShellCommand } from '../../../parsers/dockerfile/snapshot-dockerfiles.js';

/** Programs that fetch a URL. */
export const DOWNLOADERS: ReadonlySet<string> = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'iwr', 'Invoke-WebRequest']);

/** Interpreters that run a script file given as their first operand. */
export const INTERPRETERS = /^(python[\d.]*|perl[\d.]*|ruby[\d.]*|node|nodejs|php[\d.]*)$/;

export interface Download {
  command: ShellCommand;
  urls: string[];
  /** Where the content is saved; undefined when it goes to standard output. */
  file?: string;
}

const URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** curl's short options that take a value (the letters after one in a cluster are that value). */
const CURL_VALUED = 'oudHXAeTwxrmKbcEFCyYzUQt';
/** wget's short options that take a value. */
const WGET_VALUED = 'OoaPeUtTwAlRDIXQY';

/** The name a URL is saved under by `curl -O` or a plain `wget URL`. */
function remoteName(url: string): string {
  const path = url.replace(URL, '').replace(/[?#].*$/, '');
  const slash = path.indexOf('/');
  const name = slash === -1 ? '' : path.slice(path.lastIndexOf('/') + 1);
  return name || 'index.html';
}

interface Options {
  /** Values of short options, by letter (the last one given). */
  short: Map<string, string | true>;
  /** Values of long options, by name. */
  long: Map<string, string | true>;
  operands: string[];
}

/** Short clusters, `--long=value`, `--long value` (for `longValued`) and operands, in one pass. */
function readOptions(args: readonly string[], valued: string, longValued: ReadonlySet<string>): Options {
  const options: Options = { short: new Map(), long: new Map(), operands: [] };
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--') {
      options.operands.push(...args.slice(index + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
      if (equals !== -1) options.long.set(name, arg.slice(equals + 1));
      else if (longValued.has(name)) options.long.set(name, args[(index += 1)] ?? '');
      else options.long.set(name, true);
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      options.operands.push(arg);
      continue;
    }
    for (let position = 1; position < arg.length; position += 1) {
      const letter = arg[position] as string;
      if (!valued.includes(letter)) {
        options.short.set(letter, true);
        continue;
      }
      const rest = arg.slice(position + 1);
      options.short.set(letter, rest !== '' ? rest : (args[(index += 1)] ?? ''));
      break;
    }
  }
  return options;
}

function redirectedTo(command: ShellCommand): string | undefined {
  const redirect = command.redirects.find((item) => (item.operator === '>' || item.operator === '>>') && (item.fd === undefined || item.fd === '1'));
  return redirect?.target?.value;
}

const CURL_LONG_VALUED = new Set(['output', 'user', 'header', 'data', 'request', 'user-agent', 'referer', 'upload-file', 'write-out', 'proxy', 'range', 'max-time', 'config', 'cookie', 'cookie-jar', 'cert', 'form', 'continue-at', 'output-dir', 'retry', 'connect-timeout', 'cacert', 'key']);
const WGET_LONG_VALUED = new Set(['output-document', 'output-file', 'directory-prefix', 'user', 'password', 'header', 'user-agent', 'tries', 'timeout', 'post-data', 'execute', 'ca-certificate', 'input-file']);

/** What a curl or wget command downloads and where it saves it; undefined for other commands. */
export function downloadOf(command: ShellCommand): Download | undefined {
  if (command.program === 'curl') {
    const options = readOptions(command.args, CURL_VALUED, CURL_LONG_VALUED);
    const urls = options.operands.filter((operand) => URL.test(operand) || /^[\w.-]+\.[a-z]{2,}\//i.test(operand));
    const explicit = options.long.get('output') ?? options.short.get('o');
    const remote = options.short.get('O') === true || options.long.has('remote-name') || options.long.has('remote-name-all');
    const directory = options.long.get('output-dir');
    const named = typeof explicit === 'string' ? explicit : remote && urls[0] ? remoteName(urls[0]) : redirectedTo(command);
    const file = named === undefined || named === '-' ? undefined : typeof directory === 'string' && !named.startsWith('/') ? `${directory}/${named}` : named;
    return { command, urls, ...(file !== undefined ? { file } : {}) };
  }
  if (command.program === 'wget') {
    const options = readOptions(command.args, WGET_VALUED, WGET_LONG_VALUED);
    const urls = options.operands.filter((operand) => URL.test(operand) || /^[\w.-]+\.[a-z]{2,}\//i.test(operand));
    const explicit = options.long.get('output-document') ?? options.short.get('O');
    const prefix = options.long.get('directory-prefix') ?? options.short.get('P');
    let file: string | undefined;
    if (typeof explicit === 'string') file = explicit === '-' ? undefined : explicit;
    else if (urls[0] !== undefined) file = typeof prefix === 'string' ? `${prefix}/${remoteName(urls[0])}` : remoteName(urls[0]);
    const redirected = redirectedTo(command);
    if (file === undefined && redirected !== undefined && explicit === '-') file = redirected;
    return { command, urls, ...(file !== undefined ? { file } : {}) };
  }
  if (DOWNLOADERS.has(command.program)) {
    const file = redirectedTo(command);
    return { command, urls: command.args.filter((arg) => URL.test(arg)), ...(file !== undefined ? { file } : {}) };
  }
  return undefined;
}

/**
 * The files a command runs as a program or script: `./x` or `/tmp/x` as the program, a program
 * or wrapper found through PATH (`gosu`, marked so that only downloads saved in a PATH
 * directory match it), the script operand of a shell or an interpreter (`sh x.sh`,
 * `python get-pip.py`), or a sourced file.
 */
export function executedFiles(command: ShellCommand): string[] {
  const files = command.wrappers.map((wrapper) => `${PATH_MARK}${wrapper}`);
  const word = command.argv[command.programIndex]?.value;
  if (word === undefined || command.programIndex < 0) return files;
  if (word.includes('/')) return [...files, word];
  if (command.program === '.' || command.program === 'source') return command.args[0] === undefined ? files : [...files, command.args[0]];
  if (POSIX_SHELLS.has(command.program) || INTERPRETERS.test(command.program)) {
    if (shellScriptArgument(command.program, command.args) >= 0) return files;
    for (let index = 0; index < command.args.length; index += 1) {
      const arg = command.args[index] as string;
      if (arg === '-' || arg === '--') return files;
      if (!arg.startsWith('-') && !arg.startsWith('+')) return [...files, arg];
      // `bash -o pipefail x.sh`: the value of -o is not the script.
      if (arg === '-o' || arg === '+o') index += 1;
    }
    return files;
  }
  return [...files, `${PATH_MARK}${word}`];
}

/** Marks a program name looked up through PATH, among the keys of `fileKeys`. */
const PATH_MARK = 'PATH:';

const PATH_DIRECTORIES = /^\/(usr\/local\/|usr\/)?s?bin\/[^/]+$/;

/**
 * Keys that name the same file for a match: the path as written, without `./`, its base name,
 * and for a file saved in a PATH directory (/usr/local/bin, /usr/bin, /bin, the sbin ones) the
 * program name that runs it.
 */
export function fileKeys(path: string): string[] {
  if (path.startsWith(PATH_MARK)) return [path];
  const clean = path.replace(/^(\.\/)+/, '');
  const base = clean.slice(clean.lastIndexOf('/') + 1);
  const keys = base === clean ? [clean] : [clean, base];
  if (PATH_DIRECTORIES.test(clean)) keys.push(`${PATH_MARK}${base}`);
  return keys;
}

const CHECKSUM = /^(sha(1|224|256|384|512)sum|md5sum|b2sum|shasum|cksum)$/;

/** Whether the command checks a checksum or a signature. */
export function verifies(command: ShellCommand): boolean {
  const args = command.args;
  if (CHECKSUM.test(command.program)) return args.some((arg) => arg === '--check' || /^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg));
  if (command.program === 'gpg' || command.program === 'gpg2') return args.some((arg) => arg === '--verify' || arg === '--verify-files');
  if (command.program === 'gpgv' || command.program === 'minisign' || command.program === 'signify') return true;
  if (command.program === 'cosign') return args[0] === 'verify-blob' || args[0] === 'verify';
  if (command.program === 'openssl') return args[0] === 'dgst' && args.some((arg) => arg === '-verify' || arg === '-prverify');
  return false;
}
