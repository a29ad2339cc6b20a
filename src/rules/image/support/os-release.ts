/**
 * The distribution release of an image, from its os-release file.
 */
import type { ImageContents } from '../../../snapshot/image-contents.js';
import { finalText } from '../../../views/image-fs.js';

/** `KEY=value` and `KEY="quoted value"` lines; comments and blank lines skipped. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!match) continue;
    let value = (match[2] ?? '').trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1).replace(/\\(["$`\\])/g, '$1');
    fields[match[1] as string] = value;
  }
  return fields;
}

/**
 * The image's os-release fields and where they were read; /etc/os-release is usually a link to
 * /usr/lib/os-release, whose text is what the scan keeps.
 */
export function imageOsRelease(contents: ImageContents): { fields: Record<string, string>; path: string; layer: number } | undefined {
  for (const path of ['etc/os-release', 'usr/lib/os-release']) {
    const found = finalText(contents, path);
    if (found) return { fields: parseOsRelease(found.text), path, layer: found.layer };
  }
  return undefined;
}
