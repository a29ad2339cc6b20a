/**
 * Path allow-lists in rule options: `/usr/bin/passwd` names one path, `/opt/app/*` a path and
 * everything below it; the leading slash is optional.
 */

function normalise(path: string): string {
  return path.replace(/^\/+/, '').replace(/\/+$/, '');
}

/** Whether an image path (no leading slash) is allowed by one of the patterns. */
export function pathAllowed(path: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const wanted = normalise(pattern);
    if (wanted.endsWith('*')) return path.startsWith(wanted.slice(0, -1));
    return path === wanted;
  });
}
