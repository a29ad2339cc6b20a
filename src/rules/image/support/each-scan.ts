/**
 * The image-contents counterpart of `forEachImage`: one verdict (or several) per scanned image,
 * with its final filesystem at hand, and the words messages use to name a layer.
 */
import type { Verdict } from '../../define.js';
import type { ImageContents } from '../../../snapshot/image-contents.js';
import { imageFilesystem, type ImageFilesystem, type Removal } from '../../../views/image-fs.js';
import type { Snapshot } from '../../../snapshot/types.js';
import type { RuleContext, RuleResult, Subject } from '../../types.js';
import { shortId } from '../../shared/images.js';

type ScanEntry = NonNullable<Snapshot['imageContents']>[number];

/** The subject of a scanned image: its first tag, else the archive path or reference it was scanned from. */
export function scanSubject(entry: ScanEntry): Subject {
  const id = 'id' in entry && typeof entry.id === 'string' ? entry.id : /^sha256:[0-9a-f]{64}$/.test(entry.source) ? entry.source : undefined;
  const name = entry.names[0] ?? (/^(sha256:)?[0-9a-f]{64}$/.test(entry.source) ? shortId(entry.source) : entry.source);
  return { kind: 'image', ...(id ? { id } : {}), name };
}

/** The first 12 hex digits of a layer key (`sha256:...`, `legacy:...`). */
export function shortKey(key: string): string {
  return key.replace(/^[a-z0-9]+:/, '').slice(0, 12);
}

/** `layer 2/5 (1a2b3c4d5e6f)`: the 1-based position and the short digest. */
export function layerLabel(contents: ImageContents, layer: number): string {
  return `layer ${layer + 1}/${contents.layers.length} (${shortKey(contents.layers[layer] ?? '')})`;
}

/** What a later layer did to an entry, for messages. */
export function removalLabel(contents: ImageContents, removal: Removal): string {
  const verb = removal.how === 'replaced' ? 'overwritten' : removal.how === 'hidden' ? 'hidden (opaque directory)' : 'deleted';
  return `${verb} in ${layerLabel(contents, removal.layer)}`;
}

/** `usr/bin/passwd` -> `/usr/bin/passwd`. */
export function imagePath(path: string): string {
  return `/${path}`;
}

/** At most `limit` items joined, with the count of the rest. */
export function capped(items: readonly string[], limit = 20): string {
  if (items.length <= limit) return items.join(', ');
  return `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}

/** Sizes for people: 1.5 MB, 230 kB, 12 B. */
export function bytesLabel(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} B`;
}

/**
 * Runs `verdict` for every scanned image. An image whose scan failed gets `skipped` with the
 * reason, from this helper, so no rule can pass it.
 */
export function forEachImageScan<Messages extends string, Options>(
  verdict: (contents: ImageContents, filesystem: ImageFilesystem, context: RuleContext<Options>) => Verdict<Messages> | Verdict<Messages>[] | undefined,
): (context: RuleContext<Options>) => RuleResult[] {
  return (context) =>
    (context.snapshot.imageContents ?? []).flatMap((entry): RuleResult[] => {
      const subject = scanSubject(entry);
      if ('unavailable' in entry) return [{ subject, status: 'skipped', messageId: '__skipped', data: { reason: entry.reason } }];
      const produced = verdict(entry, imageFilesystem(entry), context);
      const verdicts = produced === undefined ? [] : Array.isArray(produced) ? produced : [produced];
      return verdicts.map((item) => ({
        subject,
        status: item.status,
        messageId: item.messageId,
        ...(item.data ? { data: item.data } : {}),
        ...(item.severity ? { severity: item.severity } : {}),
        ...(item.details ? { details: item.details } : {}),
      }));
    });
}
