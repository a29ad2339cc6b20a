/**
 * Image references as Docker reads them: `[registry/]path[:tag][@digest]`.
 */
import { parseImageReference as parseReference } from '../image-reference.js';
import type { ImageReference } from './types.js';

/** Parses a reference (already substituted); `text` is kept as written for messages. */
export function parseImageReference(text: string, resolved: string, unresolved: string[] = []): ImageReference {
  const { registry, repository, tag, digest } = parseReference(resolved);
  return {
    text,
    resolved,
    unresolved,
    registry,
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** A sha256 digest written in full. */
export function isFullDigest(digest: string | undefined): boolean {
  return digest !== undefined && /^sha256:[a-f0-9]{64}$/.test(digest);
}

/** Windows base images run cmd or PowerShell, not a POSIX shell. */
export function isWindowsImage(image: ImageReference): boolean {
  return (image.registry === 'mcr.microsoft.com' && /^windows\b|\/(nanoserver|servercore|windows)\b/.test(image.repository)) || /nanoserver|servercore/.test(image.repository);
}
