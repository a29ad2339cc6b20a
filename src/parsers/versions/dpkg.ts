/**
 * Debian package versions (`[epoch:]upstream[-revision]`) in the order dpkg gives them, as
 * deb-version(7) defines it: epochs compared as numbers; then the upstream version and the
 * revision, each compared as alternating runs of non-digits and digits. In a non-digit run `~`
 * sorts before everything, even the end of the run, letters before every other character; digit
 * runs compare as numbers of any length. A binNMU (`1.2-3+b1`) is an ordinary revision suffix.
 *
 * One pass over each string: no regular expression, no number conversion that could overflow.
 */

export interface DpkgVersion {
  /** Digits of the epoch, `0` when absent. */
  epoch: string;
  upstream: string;
  /** Empty when the version has no `-`. */
  revision: string;
}

/** Splits a version: the epoch before the first `:`, the revision after the last `-`. */
export function parseDpkgVersion(text: string): DpkgVersion {
  const version = text.trim();
  const colon = version.indexOf(':');
  let epoch = '0';
  let rest = version;
  if (colon > 0 && isDigits(version, 0, colon)) {
    epoch = version.slice(0, colon);
    rest = version.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  if (dash === -1) return { epoch, upstream: rest, revision: '' };
  return { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) };
}

function isDigits(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index += 1) if (!isDigit(text.charCodeAt(index))) return false;
  return true;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** The weight of a character of a non-digit run; NaN (past the end) and digits weigh 0. */
function weight(code: number): number {
  if (Number.isNaN(code) || isDigit(code)) return 0;
  if (code === 126) return -1;
  if (isLetter(code)) return code;
  return code + 256;
}

/** Compares two runs of digits as numbers: leading zeros skipped, then length, then digit by digit. */
function compareDigitRuns(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): number {
  while (aStart < aEnd && a.charCodeAt(aStart) === 48) aStart += 1;
  while (bStart < bEnd && b.charCodeAt(bStart) === 48) bStart += 1;
  const lengths = aEnd - aStart - (bEnd - bStart);
  if (lengths !== 0) return lengths < 0 ? -1 : 1;
  for (; aStart < aEnd; aStart += 1, bStart += 1) {
    const difference = a.charCodeAt(aStart) - b.charCodeAt(bStart);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return 0;
}

/** Compares two upstream versions, or two revisions, as dpkg does: -1, 0 or 1. */
export function compareDpkgPart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // A non-digit run each (either may be empty).
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const left = weight(i < a.length ? a.charCodeAt(i) : Number.NaN);
      const right = weight(j < b.length ? b.charCodeAt(j) : Number.NaN);
      if (left !== right) return left < right ? -1 : 1;
      if (i < a.length && !isDigit(a.charCodeAt(i))) i += 1;
      if (j < b.length && !isDigit(b.charCodeAt(j))) j += 1;
    }
    // Then a digit run each (either may be empty, which counts as 0).
    const aStart = i;
    const bStart = j;
    while (i < a.length && isDigit(a.charCodeAt(i))) i += 1;
    while (j < b.length && isDigit(b.charCodeAt(j))) j += 1;
    const numbers = compareDigitRuns(a, aStart, i, b, bStart, j);
    if (numbers !== 0) return numbers;
  }
  return 0;
}

/** Compares two Debian versions: -1 when `a` is older, 0 when dpkg holds them equal, 1 when newer. */
export function compareDpkgVersions(a: string, b: string): number {
  const left = parseDpkgVersion(a);
  const right = parseDpkgVersion(b);
  return (
    compareDigitRuns(left.epoch, 0, left.epoch.length, right.epoch, 0, right.epoch.length) ||
    compareDpkgPart(left.upstream, right.upstream) ||
    compareDpkgPart(left.revision, right.revision)
  );
}
