/**
 * Several reports from one audit of the real daemon: each format to its file, one to stdout, all
 * of the same findings, whatever the exit code.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir, type ReportJson } from './scenario.js';

describe('dockaudit audit with several --format', () => {
  it('writes JSON, HTML, Markdown, GitLab and Checkstyle files and GitHub annotations on stdout from one run', async () => {
    const directory = scratchDir();
    const file = (name: string) => join(directory, name);
    const result = await runCli([
      'audit',
      '--format', `json:${file('r.json')}`,
      '--format', `html:${file('r.html')}`,
      '--format', `markdown:${file('r.md')}`,
      '--format', `gitlab:${file('gl.json')}`,
      '--format', `checkstyle:${file('cs.xml')}`,
      '--format', 'github',
    ]);
    expect([1, 2], result.stderr).toContain(result.code);
    const report = JSON.parse(readFileSync(file('r.json'), 'utf8')) as ReportJson;
    const actionable = report.findings.filter((finding) => ['fail', 'warn', 'error'].includes(finding.status) && finding.suppressed === undefined);
    expect(actionable.length).toBeGreaterThan(10);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('::'))).toHaveLength(actionable.length + (report.incomplete?.length ?? 0));
    expect((JSON.parse(readFileSync(file('gl.json'), 'utf8')) as unknown[]).length).toBe(actionable.length);
    expect(readFileSync(file('cs.xml'), 'utf8').match(/<error /g)).toHaveLength(actionable.length);
    const html = readFileSync(file('r.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(`"total":${report.summary.total}`);
    expect(readFileSync(file('r.md'), 'utf8')).toContain(`**${report.summary.total} findings from ${report.summary.rules} rules**`);
    for (const name of ['r.json', 'r.html', 'r.md', 'gl.json', 'cs.xml']) expect(statSync(file(name)).mode & 0o777).toBe(0o600);
  });
});
