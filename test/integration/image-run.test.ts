/**
 * The dockaudit image, built by `npm run image` (scripts/image.mjs) with no registry, run the way
 * the README says: the host's root and the Docker socket mounted read-only, the host's PID
 * namespace. Its host-level and daemon-level verdicts must be those of dockaudit run on the host
 * itself against the same daemon.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contextId } from '../../src/collect/contexts.js';
import { ROOT, auditToFile, runCli, scratchDir, type ReportFinding } from './scenario.js';

interface Report {
  target: { hostname: string; daemonVersion?: string };
  findings: (ReportFinding & { family: string })[];
  problems: { scope: string; reason: string }[];
  incomplete?: string[];
}

const socket = (process.env['DOCKER_HOST'] ?? '').startsWith('unix://') ? (process.env['DOCKER_HOST'] as string).slice('unix://'.length) : '/var/run/docker.sock';
let image = '';

beforeAll(() => {
  image = execFileSync(process.execPath, [join(ROOT, 'scripts/image.mjs')], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop() as string;
}, 600_000);

function runImage(args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(
      'docker',
      ['run', '--rm', '-v', '/:/host:ro', '-v', `${socket}:/var/run/docker.sock:ro`, '--pid', 'host', image, ...args],
      { encoding: 'utf8', timeout: 300_000, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    return { code: failed.status ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Rule, subject and status of the findings of some families, for comparing two audits. */
function verdicts(report: Report, families: string[]): string[] {
  return report.findings
    .filter((finding) => families.includes(finding.family))
    .map((finding) => `${finding.ruleId} ${finding.subject.kind}:${finding.subject.name ?? ''} ${finding.status} ${finding.messageId}`)
    .sort();
}

describe('the dockaudit image', () => {
  it('is tagged with the package version and holds only the bundled CLI on a node base', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(image).toBe(`dockaudit:${version}`);
    const [user, entrypoint] = execFileSync('docker', ['image', 'inspect', '--format', '{{.Config.User}}|{{json .Config.Entrypoint}}', image], { encoding: 'utf8' }).trim().split('|');
    expect(user).toBe('0:0');
    expect(JSON.parse(entrypoint as string)).toEqual(['node', '/opt/dockaudit/bin/dockaudit']);
    // The bundle needs no node_modules: a size well under what the dependencies would add.
    const size = Number(execFileSync('docker', ['image', 'inspect', '--format', '{{.Size}}', image], { encoding: 'utf8' }).trim());
    expect(size).toBeLessThan(200 * 1024 * 1024);
  });

  it("audits the host it runs on: the same daemon and host verdicts as a run on the host, the host's processes seen", async () => {
    const inside = runImage(['audit', '--host-root', '/host', '--format', 'json']);
    expect([0, 1], inside.stderr).toContain(inside.code);
    const report = JSON.parse(inside.stdout) as Report;
    if (existsSync('/etc/hostname')) expect(report.target.hostname).toBe(readFileSync('/etc/hostname', 'utf8').trim());
    // --pid host and /host/proc: the host's processes and kernel settings are read.
    expect(report.problems.filter((problem) => /^(processes|kernel settings)/.test(problem.reason))).toEqual([]);
    // The daemon's configuration was found: CIS 2.3 is decided, not skipped.
    expect(report.findings.find((finding) => finding.ruleId === 'DA203')?.status).not.toBe('skipped');

    const { report: outside } = await auditToFile([]);
    const hostReport = outside as unknown as Report;
    expect(verdicts(report, ['daemon', 'files'])).toEqual(verdicts(hostReport, ['daemon', 'files']));
  });

  it('is scanned by dockaudit image on several daemons at once, named by --host and --context', async () => {
    const config = scratchDir();
    const name = 'da-image-context';
    mkdirSync(join(config, 'contexts', 'meta', contextId(name)), { recursive: true });
    writeFileSync(join(config, 'contexts', 'meta', contextId(name), 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: `unix://${socket}`, SkipTLSVerify: false } } }));
    const missing = `unix://${join(scratchDir(), 'no-daemon.sock')}`;
    const output = join(scratchDir(), 'images.json');
    const result = await runCli(['image', image, '--context', name, '-H', missing, '--cache-dir', join(scratchDir(), 'cache'), '--format', 'json', '-o', output], { env: { DOCKER_CONFIG: config, DOCKER_HOST: '' } });
    expect(result.code, result.stderr).toBe(2);
    const report = JSON.parse(readFileSync(output, 'utf8')) as Report & { targets: { address: string; context?: string; reachable: boolean; reason?: string }[]; findings: { target?: string }[] };
    expect(report.targets).toEqual([
      { address: missing, reachable: false, reason: expect.stringContaining(`could not scan the images of ${missing}`) },
      { address: `unix://${socket}`, context: name, name, version: '', reachable: true },
    ]);
    // The image was scanned on the daemon of the context: its image findings are decided there.
    const scanned = report.findings.filter((finding) => finding.target === name);
    expect(scanned.some((finding) => finding.family === 'image' && finding.status !== 'skipped')).toBe(true);
    expect(report.findings.filter((finding) => finding.target === missing).every((finding) => finding.status === 'skipped')).toBe(true);
    expect(result.stderr).toContain(`target ${missing}: could not scan the images of ${missing}`);
  });
});
