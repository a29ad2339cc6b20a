/**
 * Image references as Docker reads them: `[registry/]path[:tag][@digest]`.
 */
import type { ImageReference } from './types.js';

const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** Parses a reference (already substituted); `text` is kept as written for messages. */
export function parseImageReference(text: string, resolved: string, unresolved: string[] = []): ImageReference {
  let name = resolved.trim();
  let digest: string | undefined;
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
  }
  let tag: string | undefined;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasRegistry ? first.toLowerCase() : 'docker.io';
  let repository = hasRegistry ? name.slice(slash + 1) : name;
  if (DOCKER_HUB_ALIASES.has(registry)) registry = 'docker.io';
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
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
