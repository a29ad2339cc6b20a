/**
 * Untrusted text made safe for a terminal. Container, service and image names, Compose keys,
 * daemon error messages and file paths come from whoever wrote them; printed raw, an ESC or OSC
 * sequence can clear the screen, retitle the window or hide text, and a CR or newline can forge
 * a line of the report ("PASS ..."). Every control character (C0, DEL, C1), the Unicode line
 * and paragraph separators and the bidirectional overrides and isolates are written as visible
 * escapes instead: `\x1b`, `\r`, `\n`, `\u202e`.
 */

/** What is escaped: C0, DEL, C1, ALM, LRM/RLM, LS/PS, the embeddings and overrides, the isolates, BOM. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** The same set without the newline, for multi-line text whose lines are the formatter's own. */
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` on one line with every control or bidi character shown as an escape (`\x1b`, `\n`, `\u202e`). */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * Like `escapeControl`, but newlines stay: for a whole block of text that a formatter laid out in
 * lines, where values inside it were not escaped one by one.
 */
export function escapeControlKeepingLines(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, visible);
}
