/**
 * Sources of ADD: remote URLs and git repositories, which COPY cannot fetch.
 */

/** An http(s) URL. */
export function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** A git repository as ADD accepts it (`git@host:repo`, `git://`, `ssh://`, `https://.../x.git[#ref]`). */
export function isGitSource(source: string): boolean {
  return /^(git@|git:\/\/|ssh:\/\/)/i.test(source) || /^https?:\/\/[^#\s]+\.git(#.*)?$/i.test(source);
}

/** The ref after `#` in a git source (`#v1.2.3`, `#<commit>:subdir`). */
export function gitRef(source: string): string | undefined {
  const hash = source.indexOf('#');
  return hash < 0 ? undefined : (source.slice(hash + 1).split(':')[0] ?? '');
}

/** Local archives ADD extracts (what COPY cannot do). */
export function isLocalArchive(source: string): boolean {
  return /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst|tar\.lz|tar\.lzma)$/i.test(source);
}
