/**
 * Alpine package versions in the order apk gives them: `number{.number}[letter]{_suffix[number]}
 * [~hash][-rN]`. A version is read as a sequence of tokens, each of a kind; the kinds must come
 * in this order (a `.number` may follow a number or a letter, a `_suffix` another suffix):
 *
 *   .number (leading zeros count as a fraction: 1.01 < 1.1), number, letter, _suffix,
 *   suffix number, ~commit hash, -rN revision, end
 *
 * Two versions are compared token by token while their kinds and values agree. The first value
 * that differs decides. When one version runs on where the other has a token of another kind,
 * the one whose next token comes later in the order above is older (`1.0` < `1.0.1`, `1.0-r1` <
 * `1.0.1`), except that a pre-release suffix (_alpha, _beta, _pre, _rc) makes its version older
 * than the one without it (`1.0_rc1` < `1.0`). Post-release suffixes (_cvs, _svn, _git, _hg, _p)
 * sort after the bare version. A commit hash is not ordered: two hashes compare equal. As in
 * apk, a component made of zeros is followed by a number token even when none is written, so
 * after `.0` the version that goes on sorts later whatever follows (`1.0_rc1` > `1.0`).
 *
 * One pass; digit runs compare as numbers of any length.
 */

/** Kinds of token, in the order they may appear in a version. */
const Kind = {
  Invalid: -1,
  DigitOrZero: 0,
  Digit: 1,
  Letter: 2,
  Suffix: 3,
  SuffixNumber: 4,
  CommitHash: 5,
  Revision: 6,
  End: 7,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const PRE_RELEASE = ['alpha', 'beta', 'pre', 'rc'];
const POST_RELEASE = ['cvs', 'svn', 'git', 'hg', 'p'];

/** A token's value: a number as its digits (no leading zeros), or a small integer. */
type Value = { digits: string } | { small: number };

const ZERO: Value = { small: 0 };

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

function compareValues(a: Value, b: Value): number {
  if ('small' in a && 'small' in b) return a.small === b.small ? 0 : a.small < b.small ? -1 : 1;
  // Numbers (never negative) against small values (negative only for fractions and pre-release suffixes).
  if ('small' in a) return a.small < 0 ? -1 : compareDigits(String(a.small), (b as { digits: string }).digits);
  if ('small' in b) return b.small < 0 ? 1 : compareDigits(a.digits, String(b.small));
  return compareDigits(a.digits, b.digits);
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Reads a version token by token. */
class Reader {
  private position = 0;
  kind: Kind = Kind.Digit;

  constructor(private readonly text: string) {
    if (text.length === 0) this.kind = Kind.End;
  }

  /** Reads the token of the current kind, returns its value and moves `kind` to the next token's. */
  next(): Value {
    const text = this.text;
    let value: Value = ZERO;
    let forced: Kind | undefined;
    switch (this.kind) {
      case Kind.DigitOrZero:
        if (text.charCodeAt(this.position) === 48) {
          // Leading zeros: the more there are, the smaller the component (a decimal fraction).
          const start = this.position;
          while (text.charCodeAt(this.position) === 48) this.position += 1;
          value = { small: start - this.position };
          forced = Kind.Digit;
          break;
        }
        value = this.digits();
        break;
      case Kind.Digit:
      case Kind.SuffixNumber:
      case Kind.Revision:
        value = this.digits();
        break;
      case Kind.Letter:
        value = { small: text.charCodeAt(this.position) };
        this.position += 1;
        break;
      case Kind.Suffix: {
        const suffix = this.suffix();
        if (suffix === undefined) {
          this.kind = Kind.Invalid;
          return ZERO;
        }
        value = { small: suffix };
        break;
      }
      case Kind.CommitHash:
        while (isDigit(text.charCodeAt(this.position)) || (text.charCodeAt(this.position) >= 97 && text.charCodeAt(this.position) <= 102)) this.position += 1;
        break;
      default:
        return ZERO;
    }
    if (this.position >= text.length) this.kind = Kind.End;
    else if (forced !== undefined) this.kind = forced;
    else this.advance();
    return value;
  }

  private digits(): Value {
    const start = this.position;
    while (isDigit(this.text.charCodeAt(this.position))) this.position += 1;
    let first = start;
    while (first < this.position - 1 && this.text.charCodeAt(first) === 48) first += 1;
    return this.position === start ? ZERO : { digits: this.text.slice(first, this.position) };
  }

  /** The value of the suffix at the position (pre-release ones negative), or undefined for an unknown one. */
  private suffix(): number | undefined {
    const text = this.text;
    for (let index = 0; index < PRE_RELEASE.length; index += 1) {
      const name = PRE_RELEASE[index] as string;
      if (text.startsWith(name, this.position)) {
        this.position += name.length;
        return index - PRE_RELEASE.length;
      }
    }
    for (let index = 0; index < POST_RELEASE.length; index += 1) {
      const name = POST_RELEASE[index] as string;
      if (text.startsWith(name, this.position)) {
        this.position += name.length;
        return index;
      }
    }
    return undefined;
  }

  /** Works out the next token's kind from the character at the position; a kind out of order is invalid. */
  private advance(): void {
    const text = this.text;
    const code = text.charCodeAt(this.position);
    const current = this.kind;
    let next: Kind = Kind.Invalid;
    if ((current === Kind.Digit || current === Kind.DigitOrZero) && isLower(code)) next = Kind.Letter;
    else if (current === Kind.Letter && isDigit(code)) next = Kind.Digit;
    else if (current === Kind.Suffix && isDigit(code)) next = Kind.SuffixNumber;
    else {
      const character = text.charAt(this.position);
      if (character === '.') next = Kind.DigitOrZero;
      else if (character === '_') next = Kind.Suffix;
      else if (character === '~') next = Kind.CommitHash;
      else if (character === '-' && text.charAt(this.position + 1) === 'r') {
        next = Kind.Revision;
        this.position += 1;
      }
      this.position += 1;
    }
    const allowedBackwards =
      (next === Kind.DigitOrZero && current === Kind.Digit) || (next === Kind.Suffix && current === Kind.SuffixNumber) || (next === Kind.Digit && current === Kind.Letter);
    if (next < current && !allowedBackwards) next = Kind.Invalid;
    this.kind = next;
  }
}

/** Compares two Alpine versions: -1 when `a` is older, 0 when apk holds them equal, 1 when newer. */
export function compareApkVersions(a: string, b: string): number {
  const left = new Reader(a.trim());
  const right = new Reader(b.trim());
  let leftValue: Value = ZERO;
  let rightValue: Value = ZERO;
  while (left.kind === right.kind && left.kind !== Kind.End && left.kind !== Kind.Invalid && compareValues(leftValue, rightValue) === 0) {
    leftValue = left.next();
    rightValue = right.next();
  }
  const values = compareValues(leftValue, rightValue);
  if (values !== 0) return values;
  const leftKind = left.kind;
  const rightKind = right.kind;
  if (leftKind === rightKind) return 0;
  // The same so far: a pre-release suffix next makes a version older, else the later kind of token does.
  if (leftKind === Kind.Suffix && isPreRelease(left)) return -1;
  if (rightKind === Kind.Suffix && isPreRelease(right)) return 1;
  return leftKind > rightKind ? -1 : 1;
}

function isPreRelease(reader: Reader): boolean {
  const value = reader.next();
  return 'small' in value && value.small < 0;
}

/** Whether apk reads `text` as a version (every token of a known kind, in order). */
export function isValidApkVersion(text: string): boolean {
  if (!isDigit(text.trim().charCodeAt(0))) return false;
  const reader = new Reader(text.trim());
  for (;;) {
    const kind: Kind = reader.kind;
    if (kind === Kind.End) return true;
    if (kind === Kind.Invalid) return false;
    reader.next();
  }
}
