/** The YAML reader for config files, in a module of its own so it loads only when there is a config file. */
import { parse } from 'yaml';

/** Parses a config file's text; aliases are capped so a hostile file cannot blow up memory. */
export function parseConfigText(text: string): unknown {
  return parse(text, { maxAliasCount: 100 });
}
