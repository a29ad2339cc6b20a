/** From offsets in a file's text to 1-based lines and columns, for every parser of files. */

/** Where a finding points in a file: a line, and the column when it is known. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

/** A place in a file: 1-based line and column (in UTF-16 code units). */
export interface TextPosition {
  file: string;
  line: number;
  column: number;
}

/** Offsets of the first character of every line. */
export function lineStarts(content: string): number[] {
  const starts = [0];
  for (let index = content.indexOf('\n'); index >= 0; index = content.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

/** Offset → 1-based line and column, by a binary search over the line starts. */
export function locator(file: string, starts: readonly number[]): (offset: number) => TextPosition {
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return { file, line: low + 1, column: offset - (starts[low] as number) + 1 };
  };
}
