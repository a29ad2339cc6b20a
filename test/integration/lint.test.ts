/**
 * `dockaudit lint` as a whole process: files only, no daemon. The rules themselves are
 * tested in process over the fixtures; this checks what the CLI adds: discovery, the compact
 * JSON contract with locations, exit codes, bad input and the phase timings.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
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
    const workerRan = async (path: string, refused = false) => {
      const result = await runCli(['lint', path, '--format', 'json', '--output', '/dev/null'], { env: { DOCKAUDIT_TIMING: '1' } });
      // A refused file is an error: the run exits 2, and only then.
      expect(result.code === 2, result.stderr).toBe(refused);
      return /^dockaudit timing: worker \d+ ms$/m.test(result.stderr);
    };
    expect(await workerRan(tree)).toBe(true);
    writeFileSync(join(tree, 'app-0', 'Dockerfile'), 'FROM alpine\u0000\n'); // refused: 99 Dockerfiles left to read
    expect(await workerRan(tree, true)).toBe(false);
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

  it('cannot be evaded by padding: a file over --max-file-bytes is an error at that file, exit 2 at every --fail-on', async () => {
    const tree = scratchDir();
    const privileged = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
    writeFileSync(join(tree, 'compose.yaml'), `${privileged}# ${'x'.repeat(1_100_000)}\n`);
    // 1.1 MB is read under the default cap of 4 MiB: the privileged service is found.
    const read = await runCli(['lint', '-f', 'compose.yaml', '--format', 'json', '--fail-on', 'critical'], { cwd: tree });
    expect(read.code, read.stderr).toBe(1);
    const readReport = JSON.parse(read.stdout) as { findings: (LintFinding & { messageId: string })[] };
    expect(readReport.findings.find((finding) => finding.ruleId === 'DA505' && finding.status === 'fail')?.location).toMatchObject({ file: 'compose.yaml', line: 4 });
    // Over a lower cap, named with -f or found in the tree, it is an error and the run exits 2.
    for (const args of [['-f', 'compose.yaml'], ['.']]) {
      const result = await runCli(['lint', ...args, '--format', 'json', '--fail-on', 'critical', '--max-file-bytes', '1m'], { cwd: tree });
      expect(result.code, result.stderr).toBe(2);
      const report = JSON.parse(result.stdout) as { findings: (LintFinding & { messageId: string; message: string })[] };
      const refused = report.findings.filter((finding) => finding.status === 'error');
      expect(refused.map((finding) => [finding.ruleId, finding.messageId, finding.location?.file, finding.location?.line])).toEqual([['DA901', 'skipped', 'compose.yaml', 1]]);
      expect(refused[0]?.message).toBe('the file was not read: refused: 1100063 bytes or more, larger than the 1048576-byte cap (--max-file-bytes)');
      expect(result.stderr).toContain('dockaudit: not audited: compose.yaml: refused: 1100063 bytes');
    }
    // A padded Dockerfile too, with DA801 turned off: the exit code does not depend on the rule.
    const dockerfile = join(scratchDir(), 'Dockerfile');
    writeFileSync(dockerfile, `FROM alpine\nUSER root\n# ${'x'.repeat(200_000)}\n`);
    const config = join(scratchDir(), 'dockaudit.yml');
    writeFileSync(config, 'rules:\n  DA801: off\n');
    const padded = await runCli(['lint', dockerfile, '--max-file-bytes', '100k', '--config', config, '--fail-on', 'critical']);
    expect(padded.code, padded.stderr).toBe(2);
    expect(padded.stderr).toMatch(/not audited: .*Dockerfile: refused: 200\d{3} bytes or more, larger than the 102400-byte cap/);
    const bad = await runCli(['lint', dockerfile, '--max-file-bytes', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('dockaudit: --max-file-bytes must be a number of bytes from 1 to 67108864 (suffixes k and m allowed), got lots');
  });

  it('refuses a named FIFO or symlink to /dev/zero at once, and never prints a named secrets file', async () => {
    const tree = scratchDir();
    execFileSync('mkfifo', [join(tree, 'Dockerfile')]);
    symlinkSync('/dev/zero', join(tree, 'compose.yaml'));
    const started = Date.now();
    const result = await runCli(['lint', 'Dockerfile', '-f', 'compose.yaml', '--format', 'json'], { cwd: tree });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.code, result.stderr).toBe(2);
    const report = JSON.parse(result.stdout) as { findings: (LintFinding & { messageId: string; message: string })[] };
    expect(report.findings.filter((finding) => finding.status === 'error').map((finding) => [finding.ruleId, finding.location?.file, finding.message])).toEqual([
      ['DA801', 'Dockerfile', 'not analysed: refused: a FIFO, not a regular file'],
      ['DA901', 'compose.yaml', 'the file was not read: refused: a character device, not a regular file'],
    ]);
    // A symlink to a file of secrets, named as a Dockerfile and as a Compose file.
    const secrets = join(scratchDir(), 'shadow');
    writeFileSync(secrets, 'root:$6$Hunter2salt$Hunter2hash:19000:0:99999:7:::\nTOKEN=ghp_Hunter2token\npassword: *Hunter2pass\n');
    const linked = scratchDir();
    symlinkSync(secrets, join(linked, 'Dockerfile'));
    symlinkSync(secrets, join(linked, 'compose.yaml'));
    for (const format of ['json', 'text']) {
      const leaked = await runCli(['lint', 'Dockerfile', '-f', 'compose.yaml', '--format', format, '--show-passed'], { cwd: linked });
      expect(leaked.code, leaked.stderr).toBe(1);
      expect(`${leaked.stdout}${leaked.stderr}`).not.toMatch(/Hunter2/);
    }
  });

  it('caps the findings of a report, the same with the worker thread or without, and counts those not listed', async () => {
    const tree = scratchDir();
    const services = Array.from({ length: 100 }, (_, index) => `  s${index}: {image: a}`).join('\n');
    writeFileSync(join(tree, 'compose.yaml'), `services:\n${services}\n  root:\n    image: a\n    privileged: true\n`);
    writeFileSync(join(tree, 'Dockerfile'), ['FROM debian:12', ...Array.from({ length: 300 }, () => 'RUN sudo true')].join('\n'));
    const run = (setting: string) => runCli(['lint', '.', '--format', 'json', '--max-findings', '1500', '--fail-on', 'critical'], { cwd: tree, env: { DOCKAUDIT_WORKER: setting } });
    const [apart, together] = [await run('on'), await run('off')];
    expect(apart.code, apart.stderr).toBe(1);
    expect(together.code).toBe(1);
    const withoutTime = (stdout: string) => stdout.replace(/"collectedAt":"[^"]+"/, '');
    expect(withoutTime(apart.stdout)).toBe(withoutTime(together.stdout));
    const report = JSON.parse(apart.stdout) as { findings: (LintFinding & { messageId: string; notListed?: number; subject: { name: string } })[]; summary: { total: number; notListed: number } };
    const standIns = report.findings.filter((finding) => finding.notListed !== undefined);
    // The 300 sudo lines: 100 listed, one stands for the other 200.
    expect(report.findings.filter((finding) => finding.ruleId === 'DA810' && finding.notListed === undefined && finding.status === 'fail')).toHaveLength(100);
    expect(standIns.find((finding) => finding.ruleId === 'DA810' && finding.subject.name === 'Dockerfile')?.notListed).toBe(200);
    expect(report.summary.total).toBe(report.findings.length);
    // 1,500 listed, the worst (every failure), then one per rule for the passes and the rest.
    expect(report.findings.length).toBeGreaterThan(1500);
    expect(report.findings.length).toBeLessThanOrEqual(1500 + 100);
    expect(report.findings.slice(1500).every((finding) => finding.notListed !== undefined && finding.subject.name === '*')).toBe(true);
    expect(report.summary.notListed).toBe(standIns.reduce((sum, finding) => sum + (finding.notListed ?? 0), 0));
    // The privileged service is listed: failures come first.
    expect(report.findings.some((finding) => finding.ruleId === 'DA505' && finding.status === 'fail' && finding.subject.name === 'root')).toBe(true);
  });

  it('audits the services of a version 1 Compose file: a privileged one makes --fail-on high exit 1', async () => {
    const tree = scratchDir();
    writeFileSync(join(tree, 'docker-compose.yml'), ['web:', '  image: nginx:1.25', '  privileged: true', '  net: host', ''].join('\n'));
    const high = await runCli(['lint', tree, '--fail-on', 'high', '--format', 'json'], { cwd: ROOT });
    expect(high.code, high.stderr).toBe(1);
    const findings = (JSON.parse(high.stdout) as { findings: LintFinding[] }).findings;
    const at = (rule: string) => findings.filter((finding) => finding.ruleId === rule && finding.status !== 'pass').map((finding) => [finding.status, finding.location?.line]);
    expect(at('DA505')).toEqual([['fail', 3]]);
    expect(at('DA510')).toEqual([['fail', 4]]);
    expect(at('DA910')).toEqual([['warn', 1]]);
    // Without the privileged service nothing critical is left: the legacy notice is low.
    writeFileSync(join(tree, 'docker-compose.yml'), ['web:', '  image: nginx:1.25', '  user: "1000"', ''].join('\n'));
    expect((await runCli(['lint', tree, '--fail-on', 'critical', '--format', 'json'], { cwd: ROOT })).code).toBe(0);
  });
});
