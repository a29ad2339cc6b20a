/**
 * The image counterpart of `forEachWorkload`: one verdict per image of the snapshot,
 * with the image named by its first tag (or its short id when it has none).
 */
import type { Verdict } from '../define.js';
import { isUnavailable, type ApiDocument, type ImageFacts, type Snapshot } from '../../snapshot/types.js';
import { str, strings } from '../../snapshot/api-document.js';
import type { RuleContext, RuleResult, Subject } from '../types.js';

/** The first 12 hex digits of an image id, as `docker images` shows it. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** Repository tags, without the `<none>:<none>` placeholder of untagged images. */
export function repoTags(inspect: ApiDocument): string[] {
  return strings(inspect, 'RepoTags').filter((tag) => tag !== '<none>:<none>');
}

/** Repository digests, without the `<none>@<none>` placeholder. */
export function repoDigests(inspect: ApiDocument): string[] {
  return strings(inspect, 'RepoDigests').filter((digest) => digest !== '<none>@<none>');
}

/** The finding subject of an image. */
export function imageSubject(inspect: ApiDocument): Subject {
  const id = str(inspect, 'Id');
  return { kind: 'image', ...(id ? { id } : {}), name: repoTags(inspect)[0] ?? shortId(id) };
}

/** The images of a snapshot, empty when they could not be listed (the engine reports that). */
export function imagesOf(snapshot: Snapshot): ImageFacts[] {
  return isUnavailable(snapshot.images) ? [] : snapshot.images;
}

/**
 * Runs `verdict` for every image. Return one verdict, several, or none
 * (the rule does not apply to that image).
 */
export function forEachImage<Messages extends string, Options>(
  verdict: (image: ImageFacts, context: RuleContext<Options>) => Verdict<Messages> | Verdict<Messages>[] | undefined,
): (context: RuleContext<Options>) => RuleResult[] {
  return (context) =>
    imagesOf(context.snapshot).flatMap((image) => {
      const produced = verdict(image, context);
      const verdicts = produced === undefined ? [] : Array.isArray(produced) ? produced : [produced];
      return verdicts.map((item) => ({
        subject: imageSubject(image.inspect),
        status: item.status,
        messageId: item.messageId,
        ...(item.data ? { data: item.data } : {}),
        ...(item.severity ? { severity: item.severity } : {}),
      }));
    });
}

/** An image's history entries, or why they cannot be read. */
export function readHistory(image: ImageFacts): { entries: ApiDocument[] } | { reason: string } {
  if (image.history === undefined) return { reason: 'the image history was not collected' };
  return isUnavailable(image.history) ? { reason: image.history.reason } : { entries: image.history };
}
