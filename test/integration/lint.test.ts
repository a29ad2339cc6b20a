/**
 * `dockaudit lint` as a whole process: files only, no daemon. The rules themselves are
 * tested in process over the fixtures; this checks what the CLI adds: discovery, the compact
 * JSON contract with locations, exit codes, bad input and the phase timings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, scratchDir } from './scenario.js';

interface LintFinding {
  ruleId: string;
  status: string;
  family: string;
  location?: { file: string; line: number; column?: number };
}

async function lintJson(args: string[], env: Record<string, string> = {}) {
  const result = await runCli(['lint', ...args, '--format', 'json'], { cwd: ROOT, env });
  return { result, report: JSON.parse(result.stdout) as { findings: LintFinding[]; summary: { total: number } } };
}

describe('dockaudit lint', () => {
  it('reports Dockerfile findings at their line, in one line of JSON, and exits 1', async () => {
    const { result, report } = await lintJson(['test/fixtures/dockerfile/failing/sudo.Dockerfile']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    const sudo = report.findings.filter((finding) => finding.ruleId === 'DA810' && finding.status !== 'pass');
    expect(sudo.map((finding) => [finding.status, finding.location?.file, finding.location?.line])).toEqual([
      ['fail', 'test/fixtures/dockerfile/failing/sudo.Dockerfile', 8],
      ['fail', 'test/fixtures/dockerfile/failing/sudo.Dockerfile', 10],
      ['warn', 'test/fixtures/dockerfile/failing/sudo.Dockerfile', 4],
    ]);
    expect(new Set(report.findings.map((finding) => finding.family))).toEqual(new Set(['dockerfile']));
  });

  it('reports a YAML error with its position and still audits the other Compose files of the tree', async () => {
    const { result, report } = await lintJson(['test/fixtures/compose/broken']);
    expect(result.code, result.stderr).toBe(1);
    const yamlError = report.findings.find((finding) => finding.ruleId === 'DA901' && finding.status === 'fail');
    expect(yamlError?.location).toEqual({ file: 'test/fixtures/compose/broken/compose.yaml', line: 7, column: 4 });
    // The valid file beside it is mapped to a workload and judged by the container rules.
    const memory = report.findings.find((finding) => finding.ruleId === 'DA511');
    expect(memory).toMatchObject({ status: 'fail', location: { file: 'test/fixtures/compose/broken/ok/compose.yaml', line: 3 } });
    // Rules about a live daemon have nothing to judge in a lint.
    expect(report.findings.some((finding) => finding.ruleId === 'DA523' || finding.ruleId === 'DA524')).toBe(false);
  });

  it('exits 2 with one line for a path that does not exist', async () => {
    const result = await runCli(['lint', join(ROOT, 'test/fixtures/no-such-dir'), '--format', 'json'], { cwd: ROOT });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([`dockaudit: no such file or directory: ${join(ROOT, 'test/fixtures/no-such-dir')}`]);
  });

  it('runs the Dockerfile rules on a worker thread and reports exactly what one thread does', async () => {
    const apart = await lintJson(['test/fixtures'], { DOCKAUDIT_WORKER: 'on', DOCKAUDIT_TIMING: '1' });
    const together = await lintJson(['test/fixtures'], { DOCKAUDIT_WORKER: 'off', DOCKAUDIT_TIMING: '1' });
    expect(apart.result.stderr).toMatch(/^dockaudit timing: worker \d+ ms$/m);
    expect(together.result.stderr).not.toMatch(/timing: worker/);
    expect(apart.result.code).toBe(together.result.code);
    const withoutTime = (stdout: string) => stdout.replace(/"collectedAt":"[^"]+"/, '');
    expect(withoutTime(apart.result.stdout)).toBe(withoutTime(together.result.stdout));
    const families = new Set(apart.report.findings.map((finding) => finding.family));
    expect(families).toEqual(new Set(['dockerfile', 'compose', 'container']));
  });

  it('uses the worker by itself from 100 Dockerfiles on, and refuses a DOCKAUDIT_WORKER it does not know', async () => {
    const tree = scratchDir();
    for (let index = 0; index < 100; index += 1) {
      mkdirSync(join(tree, `app-${index}`));
      writeFileSync(join(tree, `app-${index}`, 'Dockerfile'), 'FROM alpine:3.20\nUSER app\n');
    }
    const workerRan = async (path: string) => {
      const result = await runCli(['lint', path, '--format', 'json', '--output', '/dev/null'], { env: { DOCKAUDIT_TIMING: '1' } });
      expect(result.code, result.stderr).not.toBe(2);
      return /^dockaudit timing: worker \d+ ms$/m.test(result.stderr);
    };
    expect(await workerRan(tree)).toBe(true);
    writeFileSync(join(tree, 'app-0', 'Dockerfile'), 'FROM alpine\u0000\n'); // skipped: 99 Dockerfiles left to read
    expect(await workerRan(tree)).toBe(false);
    const bad = await runCli(['lint', tree, '--format', 'json'], { env: { DOCKAUDIT_WORKER: 'yes' } });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toEqual(['dockaudit: DOCKAUDIT_WORKER must be auto, on or off, got yes']);
  });

  it('reports bad options of a Dockerfile rule the same way from the worker thread', async () => {
    const config = join(scratchDir(), 'dockaudit.yml');
    writeFileSync(config, 'rules:\n  DA806:\n    options:\n      allowedRegistries: 42\n');
    for (const setting of ['on', 'off']) {
      const result = await runCli(['lint', 'test/fixtures/dockerfile', '--config', config, '--format', 'json'], { cwd: ROOT, env: { DOCKAUDIT_WORKER: setting } });
      expect(result.code, setting).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toEqual(['dockaudit: options of rule DA806: Invalid input: expected array, received number']);
    }
  });

  it('prints how long each phase took with DOCKAUDIT_TIMING=1', async () => {
    const { result } = await lintJson(['test/fixtures/compose/broken'], { DOCKAUDIT_TIMING: '1' });
    const phases = [...result.stderr.matchAll(/^dockaudit timing: ([a-z -]+) \d+ ms$/gm)].map((match) => match[1]);
    expect(phases).toEqual(['start-up', 'collect', 'load rules', 'evaluate', 'report']);
  });
});
