/** The YAML reader for config files, in a module of its own so it loads only when there is a config file. */
import { YAMLException, loadAll } from 'js-yaml';
import { yamlReason } from '../parsers/excerpt.js';

/**
 * Parses a config file's text: an empty file is an empty config. At most 20 aliases are read, so
 * a hostile file cannot expand into something huge (20 aliases expand a few thousand times at
 * most). Errors are one line, with the position when the parser gives one, and never quote the
 * file: the parser's snippet is dropped, and so are the tag and alias names its reason quotes.
 */
export function parseConfigText(text: string): unknown {
  let documents: unknown[];
  try {
    documents = loadAll(text, { maxAliases: 20 });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const at = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : '';
    throw new Error(`${yamlReason(error.reason)}${at}`);
  }
  if (documents.length > 1) throw new Error('the file holds more than one YAML document');
  return documents[0];
}
