/**
 * Image references (`registry/path/name:tag@digest`) split into their parts, the way the
 * Docker CLI resolves them: a first component with a dot, a colon or `localhost` is a
 * registry host, anything else lives on Docker Hub.
 */

export interface ImageReference {
  /** Registry host; `docker.io` when the reference names none. */
  registry: string;
  /** Repository path inside the registry (`library/postgres`, `mssql/server`). */
  repository: string;
  /** Last component of the repository path (`postgres`, `server`). */
  name: string;
  tag?: string;
  /** `sha256:…` when the reference carries a digest. */
  digest?: string;
}

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** Docker Hub under its one canonical name; other hosts lower-cased. */
export function normaliseRegistry(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? 'docker.io' : lower;
}

/** Splits a reference; never throws, even on odd input. */
export function parseImageReference(reference: string): ImageReference {
  let rest = reference.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  const registry = hasRegistry ? normaliseRegistry(first) : 'docker.io';
  let repository = hasRegistry ? rest.slice(slash + 1) : rest;
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  const name = repository.slice(repository.lastIndexOf('/') + 1);
  return {
    registry,
    repository,
    name,
    ...(tag !== undefined && tag !== '' ? { tag } : {}),
    ...(digest !== undefined && digest !== '' ? { digest } : {}),
  };
}

/**
 * Whether `reference` names an image by its local id (`sha256:4f2…`, or the 12-digit short id)
 * rather than by repository. `imageId` is the id the reference resolved to, when known.
 */
export function isImageIdReference(reference: string, imageId?: string): boolean {
  const hex = reference.replace(/^sha256:/, '');
  if (!/^[0-9a-f]{12,64}$/.test(hex)) return false;
  if (reference.startsWith('sha256:') || hex.length === 64) return true;
  return imageId !== undefined && imageId.replace(/^sha256:/, '').startsWith(hex);
}

/**
 * Whether an image is the one a catalogue names. A pattern with a `/` is a repository path
 * (`grafana/loki` matches `grafana/loki` and `registry.example.com/mirror/grafana/loki`); a
 * pattern without one is the last component (`postgres` matches `library/postgres` and
 * `bitnami/postgres`). `pattern` must be in lower case.
 */
export function isImageNamed(reference: ImageReference, pattern: string): boolean {
  if (!pattern.includes('/')) return reference.name.toLowerCase() === pattern;
  const path = reference.repository.toLowerCase();
  return path === pattern || path.endsWith(`/${pattern}`);
}
