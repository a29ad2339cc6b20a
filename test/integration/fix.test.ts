/**
 * `dockaudit fix` as a whole process: daemon.json merged against a real daemon (its host root in
 * a scratch directory, so nothing of this machine is touched), audit rules for this host's real
 * paths, and a Compose override that the Compose rules then accept.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from './scenario.js';

const DAEMON_JSON = '{\n    "log-level": "debug",\n    "x-team": { "owner": "ops" },\n    "icc": true\n}\n';

function backupsIn(directory: string, name: string): string[] {
  return readdirSync(directory).filter((entry) => entry.startsWith(`${name}.bak.`));
}

describe('dockaudit fix daemon-json', () => {
  it('prints the merged file, writes it only with --write after a backup, and refuses a broken one', async () => {
    const root = scratchDir();
    const etc = join(root, 'etc/docker');
    mkdirSync(etc, { recursive: true });
    const file = join(etc, 'daemon.json');
    writeFileSync(file, DAEMON_JSON, { mode: 0o644 });

    const printed = await runCli(['fix', 'daemon-json', '--host-root', root]);
    expect(printed.code, printed.stderr).toBe(0);
    const merged = JSON.parse(printed.stdout) as Record<string, unknown>;
    expect(Object.keys(merged).slice(0, 3)).toEqual(['log-level', 'x-team', 'icc']);
    expect(merged).toMatchObject({ 'log-level': 'info', 'x-team': { owner: 'ops' }, icc: false, 'no-new-privileges': true });
    expect(printed.stdout).toContain('\n    "log-level": "info",\n');
    expect(printed.stderr).toContain('dockaudit: DA203: "log-level" set to "info" (was "debug")\n');
    expect(printed.stderr).toContain('dockaudit: DA202: "icc" set to false (was true)\n');
    expect(readFileSync(file, 'utf8')).toBe(DAEMON_JSON);
    expect(backupsIn(etc, 'daemon.json')).toEqual([]);

    const written = await runCli(['fix', 'daemon-json', '--host-root', root, '--write']);
    expect(written.code, written.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(printed.stdout);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const [backup] = backupsIn(etc, 'daemon.json');
    expect(backup).toMatch(/^daemon\.json\.bak\.\d{8}T\d{6}Z$/);
    expect(readFileSync(join(etc, backup!), 'utf8')).toBe(DAEMON_JSON);
    expect(statSync(join(etc, backup!)).mode & 0o777).toBe(0o600);
    expect(written.stdout).toBe('');

    writeFileSync(file, '{"log-level": "debug",');
    const broken = await runCli(['fix', 'daemon-json', '--host-root', root, '--write']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^dockaudit: .*daemon\.json is not valid JSON \(.*\): dockerd would not start with it either; fix it by hand first \(it was left as it is\)\n$/);
    expect(readFileSync(file, 'utf8')).toBe('{"log-level": "debug",');
    expect(backupsIn(etc, 'daemon.json')).toHaveLength(1);
  });
});

describe('dockaudit fix audit-rules', () => {
  it("watches this host's dockerd where it really is and the daemon's own data root", async () => {
    const result = await runCli(['fix', 'audit-rules']);
    expect(result.code, result.stderr).toBe(0);
    const dockerd = realpathSync(execFileSync('sh', ['-c', 'command -v dockerd'], { encoding: 'utf8' }).trim());
    const dataRoot = execFileSync('docker', ['info', '--format', '{{.DockerRootDir}}'], { encoding: 'utf8' }).trim();
    const rules = result.stdout.split('\n').filter((line) => line.startsWith('-w '));
    expect(rules).toContain(`-w ${dockerd} -p wa -k docker`);
    expect(rules).toContain(`-w ${realpathSync(dataRoot)} -p wa -k docker`);
    expect(rules).toContain(`-w ${realpathSync('/etc/docker')} -p wa -k docker`);
    expect(new Set(rules).size).toBe(rules.length);
  });

  it('writes the rules under --host-root with --write, keeping a previous file', async () => {
    const snapshotFile = join(scratchDir(), 'snap.json');
    expect((await runCli(['snapshot', '-o', snapshotFile])).code).toBe(0);
    const root = scratchDir();
    const rulesDir = join(root, 'etc/audit/rules.d');
    mkdirSync(rulesDir, { recursive: true });
    writeFileSync(join(rulesDir, 'docker.rules'), '-w /old -p wa\n');
    const result = await runCli(['fix', 'audit-rules', '--snapshot', snapshotFile, '--host-root', root, '--write']);
    expect(result.code, result.stderr).toBe(0);
    const written = readFileSync(join(rulesDir, 'docker.rules'), 'utf8');
    expect(written).toMatch(/^## Docker audit rules for /);
    expect(written).toContain(' -p wa -k docker\n');
    expect(backupsIn(rulesDir, 'docker.rules').map((name) => readFileSync(join(rulesDir, name), 'utf8'))).toEqual(['-w /old -p wa\n']);
  });
});

describe('dockaudit fix compose', () => {
  it('prints an override that, merged over the file, makes its findings pass', async () => {
    const directory = scratchDir();
    const compose = join(directory, 'compose.yaml');
    writeFileSync(compose, 'services:\n  web:\n    image: nginx:1.25\n    privileged: true\n  worker:\n    image: app:1\n');
    const printed = await runCli(['fix', 'compose', 'compose.yaml'], { cwd: directory });
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('  "web":\n');
    expect(printed.stdout).toContain('    # DA505 container-privileged\n    privileged: false\n');
    expect(existsSync(join(directory, 'compose.override.yaml'))).toBe(false);

    const written = await runCli(['fix', 'compose', 'compose.yaml', '--write'], { cwd: directory });
    expect(written.code, written.stderr).toBe(0);
    expect(readFileSync(join(directory, 'compose.override.yaml'), 'utf8')).toBe(printed.stdout);

    const lint = async (files: string[]) => {
      const result = await runCli(['lint', ...files.flatMap((file) => ['-f', file]), '--format', 'json'], { cwd: directory });
      return (JSON.parse(result.stdout) as { findings: { ruleId: string; status: string; subject: { name?: string } }[] }).findings;
    };
    const fixedRules = ['DA504', 'DA505', 'DA511', 'DA526', 'DA529', 'DA551', 'DA554'];
    const before = (await lint(['compose.yaml'])).filter((finding) => fixedRules.includes(finding.ruleId) && finding.status !== 'pass');
    expect(new Set(before.map((finding) => finding.ruleId))).toEqual(new Set(fixedRules));
    const after = (await lint(['compose.yaml', 'compose.override.yaml'])).filter((finding) => fixedRules.includes(finding.ruleId) && finding.status !== 'pass');
    expect(after.map((finding) => `${finding.ruleId} ${finding.subject.name} ${finding.status}`)).toEqual([]);
  });

  it('refuses a file it cannot parse, with exit 2', async () => {
    const directory = scratchDir();
    writeFileSync(join(directory, 'compose.yaml'), 'services:\n  web: [\n');
    const result = await runCli(['fix', 'compose', 'compose.yaml'], { cwd: directory });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^dockaudit: compose\.yaml: /);
  });
});
