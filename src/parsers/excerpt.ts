/**
 * Text from a file, made fit for an error message. A file named on the command line may be a
 * symlink to anything (a password file, a token), and error messages reach CI logs: a message
 * shows the position and the kind of the error, and a word of the file only when it is short and
 * plain (a misspelt instruction), never a line, a value or a name the YAML quotes.
 */

/** Longest word a message shows. */
const MAX_SHOWN = 20;

/** Letters, `_` and `-`: what an instruction looks like (a digit makes a word look like a password). */
const PLAIN_WORD = /^[A-Za-z][A-Za-z_-]*$/;

/** The word itself when it is short and plain, else a description that holds none of it. */
export function shownWord(word: string): string {
  if (isPlain(word)) return word;
  return `(a ${word.length}-character word, not shown)`;
}

function isPlain(word: string): boolean {
  return word.length <= MAX_SHOWN && PLAIN_WORD.test(word);
}

/**
 * A YAML error's reason with the words it quotes from the file kept only when plain: js-yaml and
 * the Compose reader name tags (`!<…>`, `!name`), aliases (`*name`, `"name"`), keys and values in
 * their reasons. The rest of js-yaml's message, a snippet of the lines around the error, is
 * never used.
 */
export function yamlReason(reason: string): string {
  return reason
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/!<([^>]*)>/g, (whole, inner: string) => (isPlain(inner.replace(/^!+/, '')) ? whole : '(a tag, not shown)'))
    .replace(/"([^"]*)"/g, (whole, inner: string) => (isPlain(inner) ? whole : '(a word, not shown)'))
    .replace(/(^|\s)([*&!]+)(\S+)/g, (whole, space: string, sigil: string, name: string) => (isPlain(name) ? whole : `${space}${sigil}(not shown)`));
}
