import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAME_PIECE_CHARS, frameReport, lastLine, unframeReport } from '../../src/collect/swarm-frames.js';
import { bestCpuMs } from '../helpers/cpu.js';

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

  it("keeps no line of a task's output but its own report's: millions of short lines cost no memory", () => {
    // 32 MiB of one-character lines: split into an array, they would be 16 million strings.
    const noise = 'a\n'.repeat(16 * MIB);
    const lines = frameReport('{"ok":true}', 'r');
    const output = `${noise}${lines.join('\n')}\n${noise}`;
    // Made flat before measuring, as a string read from a buffer is.
    output.indexOf('\u0000');
    const before = process.memoryUsage().heapUsed;
    const result = unframeReport(output, 'r', 64 * MIB);
    const grown = process.memoryUsage().heapUsed - before;
    expect(result).toEqual({ report: '{"ok":true}' });
    expect(grown).toBeLessThan(24 * MIB);
  });

  it('reads a task output in time linear in its size, lines short or long', () => {
    const cpu = (work: () => unknown): number => bestCpuMs(work);
    const report = bulky(200_000);
    for (const filler of ['a\n', `${'b'.repeat(5000)}\n`, `dockaudit-frame q 0 1 00 x\n`]) {
      const output = (n: number): string => `${filler.repeat(n)}${frameReport(report, 'r').join('\n')}`;
      const small = output(Math.ceil(2 * MIB / filler.length));
      const large = output(Math.ceil(8 * MIB / filler.length));
      unframeReport(small, 'r', 64 * MIB);
      const ratio = cpu(() => unframeReport(large, 'r', 64 * MIB)) / Math.max(cpu(() => unframeReport(small, 'r', 64 * MIB)), 5);
      expect(ratio, JSON.stringify(filler.slice(0, 20))).toBeLessThan(8);
    }
  });

  it('refuses pieces that are not the size the writer cuts, and more lines than a report within the cap can take', () => {
    const lines = frameReport(bulky(40_000), 'r');
    const [first, ...rest] = lines;
    const shortened = (first as string).slice(0, -4);
    expect(unframeReport([shortened, ...rest].join('\n'), 'r', MIB)).toEqual({ reason: 'a report line is malformed' });
    expect(unframeReport('dockaudit-frame r 0 2 00 ', 'r', MIB)).toEqual({ reason: 'a report line is malformed' });
    // A million empty pieces would each be kept: the count alone says the report is too large.
    const many = Array.from({ length: 1000 }, (_, sequence) => `dockaudit-frame r ${sequence} 1000000 00 `).join('\n');
    expect(unframeReport(many, 'r', MIB)).toEqual({ reason: `the report is larger than ${MIB} bytes` });
  });

  it("takes the last line of a task's stderr without splitting all of it, bounded", () => {
    expect(lastLine('first\nsecond\n\n', 300)).toBe('second');
    expect(lastLine('', 300)).toBe('');
    expect(lastLine(`${'x'.repeat(1000)}\n`, 300)).toBe('x'.repeat(300));
    const noise = `${'a\n'.repeat(16 * MIB)}the reason\n`;
    noise.indexOf('\u0000');
    const before = process.memoryUsage().heapUsed;
    expect(lastLine(noise, 300)).toBe('the reason');
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8 * MIB);
  });

  it('refuses a run id that could break the line format', () => {
    expect(() => frameReport('{}', 'a b')).toThrow(/letters and digits/);
  });
});
