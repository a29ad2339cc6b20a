import { existsSync, mkdirSync, mkdtempSync, symlinkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { outputSpecs, type Io } from '../../src/cli/output.js';
import { serialiseSnapshot } from '../../src/snapshot/io.js';
import { snap } from '../helpers/builder.js';

function fakeStream(): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY: false, write: (chunk: string) => chunks.push(chunk) > 0, text: () => chunks.join('') } as unknown as NodeJS.WriteStream & { text: () => string };
}

const directory = mkdtempSync(join(tmpdir(), 'dockaudit-outputs-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function dockaudit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = fakeStream();
  const stderr = fakeStream();
  const io: Io = { stdout, stderr, env: {}, cwd: directory };
  const code = await run(['node', 'dockaudit', ...args], io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('--format FORMAT[:FILE]', () => {
  it('reads the format, the file, - for stdout, and sends file-less formats to --output', () => {
    expect(outputSpecs(undefined, undefined)).toEqual([{ format: 'text' }]);
    expect(outputSpecs(['json:out/r.json', 'text'], undefined)).toEqual([{ format: 'json', path: 'out/r.json' }, { format: 'text' }]);
    expect(outputSpecs(['sarif:-', 'html:c:\\r.html'], undefined)).toEqual([{ format: 'sarif' }, { format: 'html', path: 'c:\\r.html' }]);
    expect(outputSpecs(['markdown'], 'summary.md')).toEqual([{ format: 'markdown', path: 'summary.md' }]);
    expect(outputSpecs(['markdown', 'json:-'], 'summary.md')).toEqual([{ format: 'markdown', path: 'summary.md' }, { format: 'json' }]);
  });

  it('refuses an unknown format, an empty file, two reports on stdout and two on one file', () => {
    expect(() => outputSpecs(['yaml'], undefined)).toThrow(/^unknown format 'yaml' in --format yaml: choose one of text, json, sarif, junit, html, markdown, github, gitlab, checkstyle/);
    expect(() => outputSpecs(['json:'], undefined)).toThrow(/name a file after the colon/);
    expect(() => outputSpecs(['json', 'text'], undefined)).toThrow(/only one report can go to stdout, and json and text would/);
    expect(() => outputSpecs(['json:a', 'sarif:a'], undefined)).toThrow(/two reports would be written to a/);
    expect(() => outputSpecs(['json', 'sarif'], 'same.out')).toThrow(/two reports would be written to same\.out/);
    // One file, however it is spelt: the second report would replace the first.
    expect(() => outputSpecs(['json:a', 'sarif:./a'], undefined)).toThrow(/two reports would be written to a and \.\/a, one file/);
    expect(() => outputSpecs(['json:out/../r', 'html:r'], undefined)).toThrow(/one file/);
    expect(() => outputSpecs(['json:r', `html:${process.cwd()}/r`], undefined)).toThrow(/one file/);
    mkdirSync(join(directory, 'real'), { recursive: true });
    symlinkSync(join(directory, 'real'), join(directory, 'linked'));
    expect(() => outputSpecs([`json:${directory}/real/r.json`, `html:${directory}/linked/r.json`], undefined)).toThrow(/one file/);
    expect(outputSpecs([`json:${directory}/real/r.json`, `html:${directory}/real/r.html`], undefined)).toHaveLength(2);
  });
});

describe('several reports in one run', () => {
  const failing = join(directory, 'failing.json');
  writeFileSync(failing, serialiseSnapshot(snap().daemon({ settings: { 'log-level': 'debug' } }).container({ name: 'priv', hostConfig: { Privileged: true } }).build()));

  it('writes each format to its file (owner-only) and one to stdout, and still exits 1 for the findings', async () => {
    const json = join(directory, 'r.json');
    const html = join(directory, 'r.html');
    const markdown = join(directory, 'r.md');
    const result = await dockaudit(['audit', '--snapshot', failing, '--format', `json:${json}`, '--format', `html:${html}`, '--format', `markdown:${markdown}`, '--format', 'github']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error title=DA505 Containers are not privileged::container priv: /m);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { findings: { ruleId: string; status: string }[] };
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'DA505', status: 'fail' }));
    expect(readFileSync(html, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(readFileSync(markdown, 'utf8')).toMatch(/^## dockaudit report/);
    for (const file of [json, html, markdown]) expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writes the reports when the audit is incomplete too, and exits 2', async () => {
    const down = join(directory, 'down.json');
    writeFileSync(down, serialiseSnapshot(snap().daemonUnavailable('connection refused').build()));
    const gitlab = join(directory, 'gl.json');
    const result = await dockaudit(['audit', '--snapshot', down, '--format', `gitlab:${gitlab}`, '--format', 'checkstyle']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('connection refused');
    expect(JSON.parse(readFileSync(gitlab, 'utf8'))).toBeInstanceOf(Array);
    expect(result.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<checkstyle version="4.3">/);
  });

  it('keeps --output for one report, and refuses a bad --format before auditing', async () => {
    const out = join(directory, 'single.sarif');
    expect((await dockaudit(['audit', '--snapshot', failing, '--format', 'sarif', '--output', out])).code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ version: '2.1.0' });
    const bad = await dockaudit(['audit', '--snapshot', failing, '--format', 'json', '--format', 'text']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('dockaudit: only one report can go to stdout, and json and text would: give the others a file (--format text:FILE)\n');
    expect(bad.stdout).toBe('');
    expect(existsSync(join(directory, 'text'))).toBe(false);
  });
});
