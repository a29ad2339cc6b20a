/**
 * Finding the local image an image reference names, as the daemon would resolve it.
 */
import { isUnavailable, type ApiDocument, type Snapshot } from '../snapshot/types.js';
import { str, strings } from '../snapshot/api-document.js';

/** `nginx`, `docker.io/library/nginx:latest` and `nginx:latest` name one image. */
export function normaliseReference(reference: string): string {
  const withoutRegistry = reference.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
  if (withoutRegistry.includes('@')) return withoutRegistry;
  const lastSegment = withoutRegistry.slice(withoutRegistry.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? withoutRegistry : `${withoutRegistry}:latest`;
}

/**
 * The inspect document of the local image `reference` names, when the snapshot holds it:
 * by digest (image id or repository digest) first, then by tag.
 */
export function localImage(snapshot: Snapshot, reference: string): ApiDocument | undefined {
  if (!reference || isUnavailable(snapshot.images)) return undefined;
  const images = snapshot.images.map((image) => image.inspect);
  const at = reference.indexOf('@');
  if (at !== -1) {
    const digest = reference.slice(at + 1);
    const byDigest = images.find((image) => str(image, 'Id') === digest || strings(image, 'RepoDigests').some((entry) => entry.endsWith(`@${digest}`)));
    if (byDigest) return byDigest;
  }
  // A digest the node does not hold: the tag in front of it may still name a local image.
  const wanted = normaliseReference(at === -1 ? reference : reference.slice(0, at));
  return images.find((image) => [...strings(image, 'RepoTags'), ...strings(image, 'RepoDigests')].some((tag) => normaliseReference(tag) === wanted));
}
