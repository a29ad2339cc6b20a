import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAME_PIECE_CHARS, frameReport, unframeReport } from '../../src/collect/swarm-frames.js';

const MIB = 1024 * 1024;

/** A report-like text that gzip cannot shrink much, so it takes several lines. */
function bulky(bytes: number): string {
  return JSON.stringify({ findings: randomBytes(bytes).toString('base64') });
}

describe('report frames in task logs', () => {
  it('gives back the report from its lines, each shorter than a 16 KiB log message', () => {
    const report = bulky(60_000);
    const lines = frameReport(report, 'run1');
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.every((line) => Buffer.byteLength(line) < 16 * 1024)).toBe(true);
    expect(lines.every((line) => line.startsWith('dockaudit-frame run1 '))).toBe(true);
    expect(unframeReport(lines.join('\n'), 'run1', MIB)).toEqual({ report });
  });

  it('reads lines in any order, repeated, among other output and carriage returns', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20_000 }), fc.array(fc.string({ maxLength: 80 }).filter((line) => !line.includes('dockaudit-frame')), { maxLength: 5 }), fc.nat(), (report, noise, seed) => {
        const lines = frameReport(report, 'abc');
        const shuffled = [...lines, lines[seed % lines.length] as string, ...noise].map((line, index) => ({ line: `${line}${index % 2 ? '\r' : ''}`, key: (index * 7919 + seed) % 1009 }));
        shuffled.sort((a, b) => a.key - b.key);
        return JSON.stringify(unframeReport(shuffled.map((entry) => entry.line).join('\n'), 'abc', MIB)) === JSON.stringify({ report });
      }),
      { numRuns: 50, seed: 11 },
    );
  });

  it('takes only the lines of its own run', () => {
    const ours = frameReport('{"ours":true}', 'ours');
    const theirs = frameReport('{"theirs":true}', 'theirs');
    expect(unframeReport([...theirs, ...ours].join('\n'), 'ours', MIB)).toEqual({ report: '{"ours":true}' });
    expect(unframeReport(theirs.join('\n'), 'ours', MIB)).toEqual({ reason: 'no report in its output' });
  });

  it('refuses a report with a line missing, a line altered, or lines of two reports', () => {
    const lines = frameReport(bulky(40_000), 'r');
    expect(unframeReport(lines.slice(1).join('\n'), 'r', MIB)).toEqual({ reason: `the report is incomplete: ${lines.length - 1} of its ${lines.length} lines came back` });
    const altered = [...lines];
    const last = altered[altered.length - 1] as string;
    altered[altered.length - 1] = `${last.slice(0, -4)}${last.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect(unframeReport(altered.join('\n'), 'r', MIB)).toEqual({ reason: 'the report does not match its digest' });
    const other = frameReport(bulky(40_000), 'r');
    expect(unframeReport([lines[0], ...other.slice(1)].join('\n'), 'r', MIB)).toEqual({ reason: 'the report lines do not belong together' });
    expect(unframeReport('dockaudit-frame r 5 2 00 AAAA', 'r', MIB)).toEqual({ reason: 'a report line is malformed' });
  });

  it('holds a report to the size cap, unpacked and on the way', () => {
    // Compresses to almost nothing, unpacks past the cap.
    const large = JSON.stringify({ padding: 'x'.repeat(2 * MIB) });
    const result = unframeReport(frameReport(large, 'r').join('\n'), 'r', MIB);
    expect(result).toMatchObject({ reason: expect.stringContaining('cannot be unpacked') });
    expect(unframeReport(frameReport(bulky(3 * FRAME_PIECE_CHARS), 'r').join('\n'), 'r', 1000)).toEqual({ reason: 'the report is larger than 1000 bytes' });
  });

  it('refuses a run id that could break the line format', () => {
    expect(() => frameReport('{}', 'a b')).toThrow(/letters and digits/);
  });
});
