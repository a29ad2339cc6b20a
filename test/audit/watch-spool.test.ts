/**
 * The webhook's spool on a real directory: 0700 and 0600, order kept across a reopening, the
 * oldest dropped (counted and told) at the cap, delivered entries removed.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool } from '../../src/audit/watch-spool.js';
import { defaultSpoolDirectory, parseWebhookUrl, redactedUrl } from '../../src/audit/watch-webhook.js';

let directory = '';
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const line = (n: number) => (sequence: number) => `${JSON.stringify({ sequence, n, pad: 'x'.repeat(80) })}\n`;

describe('the webhook spool', () => {
  it('keeps changes private and in order across a reopening, and removes what was delivered', async () => {
    directory = mkdtempSync(join(tmpdir(), 'spool-'));
    const dir = join(directory, 'spool');
    const spool = await Spool.open({ directory: dir });
    for (let n = 1; n <= 5; n += 1) void spool.append(line(n));
    await spool.flushed();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    const first = await spool.take(2, 1 << 20);
    expect(first.texts.map((text) => (JSON.parse(text) as { n: number }).n)).toEqual([1, 2]);
    await spool.acknowledge(first.entries);

    const again = await Spool.open({ directory: dir });
    expect(again.pending).toBe(3);
    void again.append(line(6));
    await again.flushed();
    const rest = await again.take(10, 1 << 20);
    const read = rest.texts.map((text) => JSON.parse(text) as { n: number; sequence: number });
    expect(read.map((entry) => entry.n)).toEqual([3, 4, 5, 6]);
    expect(read.map((entry) => entry.sequence)).toEqual([...read.map((entry) => entry.sequence)].sort((a, b) => a - b));
    // Not delivered: still first in line.
    again.release(rest.entries);
    expect((await again.take(1, 1 << 20)).texts.map((text) => (JSON.parse(text) as { n: number }).n)).toEqual([3]);
  });

  it('drops the oldest undelivered changes at the cap, counts and tells them', async () => {
    directory = mkdtempSync(join(tmpdir(), 'spool-'));
    const notices: string[] = [];
    const spool = await Spool.open({ directory, maxBytes: 400, onNotice: (message) => notices.push(message) });
    for (let n = 1; n <= 8; n += 1) void spool.append(line(n));
    await spool.flushed();
    expect(spool.pendingBytes).toBeLessThanOrEqual(400);
    expect(spool.dropped).toBe(8 - spool.pending);
    expect(spool.dropped).toBeGreaterThan(0);
    expect(notices.some((message) => message.includes('spool full'))).toBe(true);
    const kept = await spool.take(100, 1 << 20);
    const numbers = kept.texts.map((text) => (JSON.parse(text) as { n: number }).n);
    expect(numbers.at(-1)).toBe(8);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, index) => 8 - numbers.length + 1 + index));
    expect(readdirSync(directory).length).toBe(numbers.length);
  });
});

describe('the spool directory', () => {
  it('drops a spool file that was tampered with (not JSON, not one object, a forged sequence, too large, a link, a FIFO), tells it, and sends the rest in order', async () => {
    directory = mkdtempSync(join(tmpdir(), 'spool-'));
    const notices: string[] = [];
    const spool = await Spool.open({ directory, maxBytes: 4096, onNotice: (message) => notices.push(message) });
    for (let n = 1; n <= 8; n += 1) void spool.append(line(n));
    await spool.flushed();
    const names = readdirSync(directory).sort();
    const path = (index: number): string => join(directory, names[index] as string);
    writeFileSync(path(0), 'not json\n');
    writeFileSync(path(1), '{"sequence":1,"n":1},{"injected":true}\n');
    const forged = JSON.parse(JSON.stringify({ sequence: 12, n: 99 })) as object;
    writeFileSync(path(2), `${JSON.stringify(forged)}\n`);
    writeFileSync(path(3), `${JSON.stringify({ sequence: Number(names[3]?.slice(0, 16)), pad: 'z'.repeat(8000) })}\n`);
    unlinkSync(path(4));
    symlinkSync('/etc/passwd', path(4));
    unlinkSync(path(5));
    execFileSync('mkfifo', [path(5)]);
    const taken = await Promise.race([spool.take(100, 1 << 20), new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5_000))]);
    expect(taken).not.toBe('hung');
    const { texts } = taken as { texts: string[] };
    expect(texts.map((text) => (JSON.parse(text) as { n: number }).n)).toEqual([7, 8]);
    expect(spool.dropped).toBe(6);
    expect(notices.filter((message) => /could not be read and was dropped/.test(message))).toHaveLength(6);
  });

  it('takes no sequence past what a number holds exactly from a file name, so the next ones stay 16 digits and the spool opens again', async () => {
    directory = mkdtempSync(join(tmpdir(), 'spool-'));
    writeFileSync(join(directory, '9999999999999999.json'), '{"sequence":9999999999999999}\n');
    const notices: string[] = [];
    const spool = await Spool.open({ directory, onNotice: (message) => notices.push(message) });
    expect(spool.pending).toBe(0);
    expect(notices.some((message) => message.includes('9999999999999999'))).toBe(true);
    void spool.append(line(1));
    await spool.flushed();
    expect(readdirSync(directory).every((name) => /^\d{16}\.json$/.test(name))).toBe(true);
    const again = await Spool.open({ directory });
    expect(again.pending).toBe(1);
    expect((await again.take(10, 1 << 20)).texts.map((text) => (JSON.parse(text) as { n: number }).n)).toEqual([1]);
  });

  it('holds no more than its cap in memory while the disk is slower than the changes: the oldest waiting are dropped, counted and told', async () => {
    directory = mkdtempSync(join(tmpdir(), 'spool-'));
    const notices: string[] = [];
    const cap = 256 * 1024;
    const spool = await Spool.open({ directory, maxBytes: cap, onNotice: (message) => notices.push(message) });
    const pad = 'p'.repeat(1000);
    const before = process.memoryUsage().heapUsed;
    // 40,000 changes of 1 KB handed over at once, before any can be written: 40 MB.
    for (let n = 1; n <= 40_000; n += 1) void spool.append((sequence) => `${JSON.stringify({ sequence, n, pad })}\n`);
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown).toBeLessThan(16 * 1024 * 1024);
    await spool.flushed();
    expect(spool.pendingBytes).toBeLessThanOrEqual(cap);
    expect(spool.dropped).toBe(40_000 - spool.pending);
    expect(notices.some((message) => /dropped/.test(message))).toBe(true);
    expect(notices.length).toBeLessThan(100);
    // The newest are kept, in order.
    const kept = (await spool.take(1_000, 1 << 30)).texts.map((text) => (JSON.parse(text) as { n: number }).n);
    expect(kept.at(-1)).toBe(40_000);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
  }, 60_000);

  it('refuses a directory that holds other files, or is not a directory, rather than making it private', async () => {
    directory = mkdtempSync(join(tmpdir(), 'spool-'));
    writeFileSync(join(directory, 'notes.txt'), 'mine');
    chmodSync(directory, 0o755);
    await expect(Spool.open({ directory })).rejects.toThrow(/holds other files/);
    expect(statSync(directory).mode & 0o777).toBe(0o755);
    await expect(Spool.open({ directory: join(directory, 'notes.txt') })).rejects.toThrow(/not a directory/);
    symlinkSync(tmpdir(), join(directory, 'link'));
    await expect(Spool.open({ directory: join(directory, 'link') })).rejects.toThrow(/not a directory/);
  });
});

describe('webhook URLs', () => {
  it('never show credentials, path or query, and refuse what is not http(s)', () => {
    const url = parseWebhookUrl('https://user:pa55@hooks.example:8443/T000/secret?token=x');
    expect(redactedUrl(url)).toBe('https://hooks.example:8443');
    const cache = mkdtempSync(join(tmpdir(), 'da-spool-key-'));
    const spool = defaultSpoolDirectory(cache, url);
    expect(spool).toBe(defaultSpoolDirectory(cache, parseWebhookUrl('https://other:word@hooks.example:8443/T000/secret?token=x')));
    expect(spool).not.toBe(defaultSpoolDirectory(cache, parseWebhookUrl('https://hooks.example:8443/T000/other')));
    // Named by a keyed digest: a plain hash of the URL (which holds the token) is not the name.
    const plain = createHash('sha256').update('https://hooks.example:8443/T000/secret?token=x').digest('hex').slice(0, 16);
    expect(basename(spool)).not.toBe(plain);
    expect(statSync(join(cache, 'watch-spool', '.key')).mode & 0o777).toBe(0o600);
    // Another cache (another key) names it otherwise.
    expect(basename(defaultSpoolDirectory(mkdtempSync(join(tmpdir(), 'da-spool-key-')), url))).not.toBe(basename(spool));
    expect(() => parseWebhookUrl('ftp://x/')).toThrow(/not supported/);
    let message = '';
    try {
      parseWebhookUrl('http://user:pa55@[bad');
    } catch (error) {
      message = String(error);
    }
    expect(message).not.toContain('pa55');
  });
});
