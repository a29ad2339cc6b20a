/**
 * Which Engine API requests the guard judges. dockerd hands the plugin the request line as the
 * client sent it, so the path is read the way the daemon's router would reach the same handler:
 * query string and fragment cut off, percent-escapes decoded, repeated slashes and dot segments
 * folded, an optional `/vX.Y` version prefix dropped, letters compared without case. Reading it
 * more loosely than the router only ever guards more requests, never fewer.
 */

/** A request the guard judges, by what its body describes. */
export type GuardedKind = 'container-create' | 'container-update' | 'exec-create' | 'service-create' | 'service-update' | 'plugin-install';

export type Endpoint =
  | { kind: GuardedKind; /** The container, service or plugin the request names, when it names one. */ name: string }
  /** Not a request the guard judges: it passes untouched. */
  | { kind: 'untouched' }
  /** A path that cannot be read (bad percent-escapes): the daemon cannot route it either. */
  | { kind: 'unreadable'; reason: string };

const VERSION_PREFIX = /^\/v\d+(?:\.\d+)?(?=\/)/i;

/** `a//b/./c/../d` → `/a/b/d`: the path the router matches. */
function foldPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/** The value of one query parameter, decoded; '' when absent or unreadable. */
function queryValue(query: string, key: string): string {
  for (const pair of query.split('&')) {
    const separator = pair.indexOf('=');
    const name = separator === -1 ? pair : pair.slice(0, separator);
    if (name.toLowerCase() !== key) continue;
    try {
      return decodeURIComponent(pair.slice(separator + 1).replace(/\+/g, ' '));
    } catch {
      return '';
    }
  }
  return '';
}

/** What the request `method uri` is, for the guard. */
export function classifyRequest(method: string, uri: string): Endpoint {
  if (method.toUpperCase() !== 'POST') return { kind: 'untouched' };
  const cut = uri.search(/[?#]/);
  const rawPath = cut === -1 ? uri : uri.slice(0, cut);
  const query = cut === -1 || uri[cut] === '#' ? '' : uri.slice(cut + 1).split('#')[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'unreadable', reason: 'the request path has malformed percent-escapes' };
  }
  // A scheme and host in the request line (`http://host/path`) leave the path for the router.
  const withoutOrigin = decoded.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const path = foldPath(withoutOrigin).replace(VERSION_PREFIX, '').toLowerCase();
  const segments = path.split('/').slice(1);
  const [first, second, third] = segments;
  if (segments.length === 2 && first === 'containers' && second === 'create') return { kind: 'container-create', name: queryValue(query, 'name') };
  if (segments.length === 3 && first === 'containers' && third === 'update') return { kind: 'container-update', name: originalSegment(withoutOrigin, 1) };
  if (segments.length === 3 && first === 'containers' && third === 'exec') return { kind: 'exec-create', name: originalSegment(withoutOrigin, 1) };
  if (segments.length === 2 && first === 'services' && second === 'create') return { kind: 'service-create', name: '' };
  if (segments.length === 3 && first === 'services' && third === 'update') return { kind: 'service-update', name: originalSegment(withoutOrigin, 1) };
  if (segments.length === 2 && first === 'plugins' && second === 'pull') return { kind: 'plugin-install', name: queryValue(query, 'remote') };
  // Plugin names hold slashes (`vieux/sshfs:latest`): the upgrade path has three or more segments.
  if (segments.length >= 3 && first === 'plugins' && segments[segments.length - 1] === 'upgrade') return { kind: 'plugin-install', name: queryValue(query, 'remote') };
  return { kind: 'untouched' };
}

/** The `index`-th segment after the version prefix, with its case kept (container names are case-sensitive). */
function originalSegment(path: string, index: number): string {
  return foldPath(path).replace(VERSION_PREFIX, '').split('/').slice(1)[index] ?? '';
}
