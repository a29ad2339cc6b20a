/**
 * Compose variable interpolation (`$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`, `$$`) and the `.env` format.
 *
 * Variables come from the project's `.env` file only, never from the environment of the
 * process running dockaudit: the same files give the same findings on every machine.
 */

export interface InterpolationIssue {
  /** `required`: `${VAR:?…}` or `${VAR?…}` with VAR unset; `unset`: a plain reference to an unset VAR; `syntax`: `${…}` Compose rejects. */
  kind: 'required' | 'unset' | 'syntax';
  variable: string;
  /** The error text of `${VAR:?text}`, or what is wrong with the syntax. */
  detail?: string;
  /** For `required`: the variable is set, but empty (`${VAR:?…}`). */
  empty?: boolean;
}

export interface InterpolationResult {
  value: string;
  issues: InterpolationIssue[];
  /** Whether a variable reference was replaced (`$$` escapes alone do not count). */
  substituted: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Index of the `}` closing the `${` that starts at `open` (nested `${…}` allowed), or -1. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    const char = text[index];
    if (char === '$' && text[index + 1] === '$') {
      index += 1;
    } else if (char === '$' && text[index + 1] === '{') {
      depth += 1;
      index += 1;
    } else if (char === '}') {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

/**
 * Defaults nested deeper than this (`${A:-${B:-…}}`) are refused: each level rescans the rest
 * of the text and recurses, so a hostile value would cost quadratic time and the stack.
 */
export const MAX_INTERPOLATION_DEPTH = 32;

function expandBraced(body: string, lookup: (name: string) => string | undefined, issues: InterpolationIssue[], depth: number): string {
  let end = 0;
  if (!NAME_START.test(body[0] ?? '')) {
    issues.push({ kind: 'syntax', variable: body, detail: `\${${body}} is not a valid variable reference` });
    return '';
  }
  while (end < body.length && NAME_CHAR.test(body[end] ?? '')) end += 1;
  const name = body.slice(0, end);
  const rest = body.slice(end);
  const value = lookup(name);
  if (rest === '') {
    if (value === undefined) issues.push({ kind: 'unset', variable: name });
    return value ?? '';
  }
  const match = /^(:?)([-?+])([\s\S]*)$/.exec(rest);
  if (!match) {
    issues.push({ kind: 'syntax', variable: name, detail: `\${${body}} has an unknown modifier` });
    return '';
  }
  const [, colon, operator, argument = ''] = match;
  const missing = colon === ':' ? value === undefined || value === '' : value === undefined;
  switch (operator) {
    case '-':
      return missing ? interpolateInto(argument, lookup, issues, depth + 1) : (value ?? '');
    case '?':
      if (missing) {
        issues.push({ kind: 'required', variable: name, detail: interpolateInto(argument, lookup, issues, depth + 1), empty: value !== undefined });
        return '';
      }
      return value ?? '';
    default:
      return missing ? '' : interpolateInto(argument, lookup, issues, depth + 1);
  }
}

function interpolateInto(text: string, lookup: (name: string) => string | undefined, issues: InterpolationIssue[], depth: number): string {
  let output = '';
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) {
      output += text.slice(index);
      break;
    }
    output += text.slice(index, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      output += '$';
      index = dollar + 2;
    } else if (next === '{') {
      if (depth >= MAX_INTERPOLATION_DEPTH) {
        issues.push({ kind: 'syntax', variable: text.slice(dollar, dollar + 40), detail: `variable references nested more than ${MAX_INTERPOLATION_DEPTH} levels deep` });
        return output;
      }
      const close = closingBrace(text, dollar);
      if (close === -1) {
        issues.push({ kind: 'syntax', variable: text.slice(dollar + 2), detail: `"${text.slice(dollar)}" has no closing brace` });
        return output;
      }
      output += expandBraced(text.slice(dollar + 2, close), lookup, issues, depth);
      index = close + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = dollar + 1;
      while (end < text.length && NAME_CHAR.test(text[end] ?? '')) end += 1;
      const name = text.slice(dollar + 1, end);
      const value = lookup(name);
      if (value === undefined) issues.push({ kind: 'unset', variable: name });
      output += value ?? '';
      index = end;
    } else {
      // A `$` before anything else is kept as written, as Compose does.
      output += '$';
      index = dollar + 1;
    }
  }
  return output;
}

/** Interpolates one string value. */
export function interpolate(text: string, lookup: (name: string) => string | undefined): InterpolationResult {
  const issues: InterpolationIssue[] = [];
  const value = interpolateInto(text, lookup, issues, 0);
  return { value, issues, substituted: /\$(\{|[A-Za-z_])/.test(text.replace(/\$\$/g, '')) };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', $: '$' };

/**
 * Parses a `.env` file the way Compose reads it: `KEY=value` lines, `export` prefixes,
 * `#` comments, single quotes taken literally, double quotes with escapes, and `${…}`
 * references to variables defined on earlier lines.
 */
export function parseDotEnv(text: string): Map<string, string> {
  const variables = new Map<string, string>();
  const lookup = (name: string): string | undefined => variables.get(name);
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = (lines[index] ?? '').replace(/^\s*export\s+/, '');
    const match = /^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*=(.*)$/.exec(line);
    if (!match) continue;
    const name = match[1] as string;
    let rest = (match[2] ?? '').trimStart();
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // Quoted values may run over several lines.
      let body = rest.slice(1);
      let close = findClosingQuote(body, quote);
      while (close === -1 && index + 1 < lines.length) {
        index += 1;
        body += `\n${lines[index] ?? ''}`;
        close = findClosingQuote(body, quote);
      }
      const raw = close === -1 ? body : body.slice(0, close);
      variables.set(
        name,
        quote === "'" ? raw : interpolate(raw.replace(/\\(.)/g, (whole, char: string) => (char === '$' ? '$$' : (ESCAPES[char] ?? whole))), lookup).value,
      );
      continue;
    }
    const comment = rest.search(/\s#/);
    if (comment !== -1) rest = rest.slice(0, comment);
    variables.set(name, interpolate(rest.trim(), lookup).value);
  }
  return variables;
}

function findClosingQuote(text: string, quote: string): number {
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] === '\\' && quote === '"') {
      index += 1;
    } else if (text[index] === quote) {
      return index;
    }
  }
  return -1;
}
