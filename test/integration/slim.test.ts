/**
 * `dockaudit slim` against the real daemon: a busybox image running a shell script that reads a
 * file and writes output, and one serving HTTP with busybox httpd. Each is observed under strace,
 * profiled, minified and proven; a profile missing a syscall the script needs must fail the
 * proof, and a missing image must end in one line and exit 2.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../scripts/testbed/docker.mjs';
import { CLI, IMAGES, LABEL_KEY, LABEL_VALUE, runCli, scratchDir, type CliResult } from './scenario.js';

const SCRIPT_IMAGE = 'da-test/slim-script:1';
const SCRIPT_SLIM = 'da-test/slim-script:slim';
const HTTPD_IMAGE = 'da-test/slim-httpd:1';
const HTTPD_SLIM = 'da-test/slim-httpd:slim';
const SCRIPT_OUTPUT = '3\nAlphA\nbetA\ngAmmA\ndone\n';

interface SlimJson {
  observed: { exitCode?: number; stopped: boolean; probe?: { status: number } };
  syscalls: { observed: number; allowed: number; denied: string[] };
  files: { touched: number; kept?: number; total?: number };
  network: string[];
  size: { before: number; after?: number; percentSaved?: number };
  slimImage?: string;
  profiles: { seccomp: string; apparmor: string; apparmorCheck: { parse: string; kernelEnforces: boolean } };
  proof: { passed: boolean; differences: string[]; image: string; exitCode?: number; probe?: { status: number } };
}

function parse(result: CliResult): SlimJson {
  expect(result.stdout, result.stderr).not.toBe('');
  return JSON.parse(result.stdout) as SlimJson;
}

let work: string;

beforeAll(async () => {
  work = scratchDir();
  const context = join(work, 'context');
  mkdirSync(join(context, 'www'), { recursive: true });
  writeFileSync(join(context, 'input.txt'), 'alpha\nbeta\ngamma\n');
  writeFileSync(join(context, 'run.sh'), '#!/bin/sh\nset -e\nwc -l < /data/input.txt > /tmp/count\ncat /tmp/count\nsed \'s/a/A/g\' /data/input.txt\necho done\n');
  chmodSync(join(context, 'run.sh'), 0o755);
  // A megabyte the programs never read: what minifying must drop.
  writeFileSync(join(context, 'unused.bin'), Buffer.alloc(1024 * 1024, 7));
  writeFileSync(join(context, 'www', 'index.html'), '<h1>hello</h1>\n');
  writeFileSync(
    join(context, 'Dockerfile.script'),
    [`FROM ${IMAGES.busybox}`, 'COPY input.txt /data/input.txt', 'COPY run.sh /app/run.sh', 'COPY unused.bin /opt/unused.bin', 'RUN mkdir -p /tmp && chmod 1777 /tmp', 'WORKDIR /app', 'ENV GREETING="hello world"', 'CMD ["/app/run.sh"]', ''].join('\n'),
  );
  writeFileSync(
    join(context, 'Dockerfile.httpd'),
    [`FROM ${IMAGES.busybox}`, 'COPY www/ /www/', 'COPY unused.bin /opt/unused.bin', 'EXPOSE 8080', 'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]', ''].join('\n'),
  );
  for (const [file, tag] of [['Dockerfile.script', SCRIPT_IMAGE], ['Dockerfile.httpd', HTTPD_IMAGE]] as const) {
    await docker(['build', '-q', '-f', join(context, file), '-t', tag, context], { env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 300_000 });
  }
}, 600_000);

afterAll(async () => {
  for (const image of [SCRIPT_SLIM, HTTPD_SLIM, SCRIPT_IMAGE, HTTPD_IMAGE]) await docker(['rmi', '-f', image]).catch(() => undefined);
});

async function leftoverContainers(): Promise<string> {
  return docker(['ps', '-aq', '--filter', 'label=dockaudit.slim']);
}

describe('dockaudit slim on a shell script', () => {
  let summary: SlimJson;
  let seccompFile: string;
  beforeAll(async () => {
    seccompFile = join(work, 'script.seccomp.json');
    const result = await runCli(['slim', SCRIPT_IMAGE, '--tag', SCRIPT_SLIM, '--seccomp', seccompFile, '--apparmor', join(work, 'script.apparmor'), '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    summary = parse(result);
  });

  it('records the syscalls the script made', () => {
    const profile = JSON.parse(readFileSync(seccompFile, 'utf8')) as { defaultAction: string; syscalls: { names: string[]; action: string }[] };
    expect(profile.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(profile.syscalls[0]?.names).toEqual(expect.arrayContaining(['execve', 'openat', 'read', 'write', 'wait4', 'clone']));
    // strace traces its child from the child's execve on: nothing of the tracer's own (ptrace,
    // waiting for its tracee) may be in the profile.
    expect(profile.syscalls[0]?.names).not.toContain('ptrace');
    expect(profile.syscalls[0]?.names).not.toContain('process_vm_readv');
    expect(summary.syscalls.observed).toBeGreaterThan(15);
    expect(summary.syscalls.allowed).toBe(profile.syscalls[0]?.names.length);
  });

  it('builds a smaller image that keeps the original config', async () => {
    expect(summary.slimImage).toBe(SCRIPT_SLIM);
    expect(summary.size.after).toBeLessThan(summary.size.before - 1024 * 1024);
    const config = JSON.parse(await docker(['image', 'inspect', '--format', '{{json .Config}}', SCRIPT_SLIM])) as { Cmd: string[]; WorkingDir: string; Env: string[]; Labels: Record<string, string> };
    expect(config.Cmd).toEqual(['/app/run.sh']);
    expect(config.WorkingDir).toBe('/app');
    expect(config.Env).toContain('GREETING=hello world');
    expect(config.Labels[LABEL_KEY]).toBe(LABEL_VALUE);
  });

  it('proves the slim image gives the same output under the profile', async () => {
    expect(summary.proof).toMatchObject({ passed: true, differences: [], image: SCRIPT_SLIM, exitCode: 0 });
    // And by hand, the way a user would run it.
    const output = await docker(['run', '--rm', '--label', `${LABEL_KEY}=${LABEL_VALUE}`, '--security-opt', `seccomp=${seccompFile}`, SCRIPT_SLIM]);
    expect(`${output}\n`).toBe(SCRIPT_OUTPUT);
    const files = await docker(['run', '--rm', '--label', `${LABEL_KEY}=${LABEL_VALUE}`, '--entrypoint', '/bin/busybox', SCRIPT_SLIM, 'ls', '/opt', '/data']).catch((error: Error) => error.message);
    expect(files).not.toContain('unused.bin');
  });

  it('writes an AppArmor profile that apparmor_parser accepts, and says it is not enforced here', () => {
    expect(summary.profiles.apparmorCheck.parse).toBe('valid');
    const text = readFileSync(join(work, 'script.apparmor'), 'utf8');
    expect(text).toContain('/data/input.txt r,');
    expect(text).toContain('/tmp/count rw,');
    expect(text).toContain('/bin/busybox rix,');
    expect(execFileSync('/usr/sbin/apparmor_parser', ['-Q', '-K', '-S', join(work, 'script.apparmor')]).length).toBeGreaterThan(0);
  });

  it('leaves no container behind', async () => {
    expect(await leftoverContainers()).toBe('');
  });
});

describe('dockaudit slim proofs that must fail', () => {
  it('fails the proof when the profile lacks a syscall the script needs', async () => {
    const result = await runCli(['slim', SCRIPT_IMAGE, '--deny-syscall', 'wait4', '--seccomp', join(work, 'deny.json'), '--apparmor', join(work, 'deny.apparmor'), '--format', 'json']);
    expect(result.code, result.stderr).toBe(1);
    const summary = parse(result);
    expect(summary.syscalls.denied).toEqual(['wait4']);
    expect(summary.proof.passed).toBe(false);
    expect(summary.proof.differences.join(' ')).toMatch(/exit code \d+, observed 0/);
    const text = await runCli(['slim', SCRIPT_IMAGE, '--deny-syscall', 'wait4', '--seccomp', join(work, 'deny.json'), '--apparmor', join(work, 'deny.apparmor')]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/proof\s+FAIL: da-test\/slim-script:1 under the seccomp profile: exit code/);
  });

  it('exits 2 with one line when the image does not exist', async () => {
    const result = await runCli(['slim', 'da-test/no-such-image:1', '--seccomp', join(work, 'none.json'), '--apparmor', join(work, 'none.apparmor')]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('dockaudit: image da-test/no-such-image:1 not found on the daemon\n');
  });

  it('exits 2 with one line when the daemon cannot be reached', async () => {
    const result = await runCli(['slim', SCRIPT_IMAGE, '--host', `unix://${join(work, 'no.sock')}`]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^dockaudit: cannot reach the Docker daemon at unix:\/\//);
  });
});

describe('dockaudit slim on a command that does not exit', () => {
  it('stops it at --timeout, and proves it still runs until then', async () => {
    const result = await runCli(['slim', SCRIPT_IMAGE, '--timeout', '2', '--seccomp', join(work, 'sleep.json'), '--apparmor', join(work, 'sleep.apparmor'), '--format', 'json', '--', 'sleep', '30']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parse(result);
    expect(summary.observed.stopped).toBe(true);
    expect(summary.proof.passed).toBe(true);
    expect(await leftoverContainers()).toBe('');
  });
});

describe('dockaudit slim interrupted', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`removes its containers and temporary directory on ${signal}, then exits ${code}`, async () => {
      // The child's temporary files go here, so what it leaves behind is plain to see.
      const temporary = scratchDir();
      const child = spawn(process.execPath, [CLI, 'slim', SCRIPT_IMAGE, '--timeout', '600', '--seccomp', join(work, 'int.json'), '--apparmor', join(work, 'int.apparmor'), '--', 'sleep', '600'], {
        env: { ...process.env, TMPDIR: temporary, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
      // Wait for the observed container (the one with SYS_PTRACE) to run.
      const deadline = Date.now() + 60_000;
      while ((await docker(['ps', '-q', '--filter', 'label=dockaudit.slim=observe'])) === '') {
        if (Date.now() > deadline) throw new Error(`the observed container never ran: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const workspaces = readdirSync(temporary);
      expect(workspaces).toEqual([expect.stringMatching(/^dockaudit-slim-/)]);
      expect(statSync(join(temporary, workspaces[0] as string)).mode & 0o777).toBe(0o700);
      expect(statSync(join(temporary, workspaces[0] as string, 'trace')).mode & 0o777).toBe(0o733);
      child.kill(signal);
      expect(await exited, stderr).toBe(code);
      expect(stderr).toContain(`dockaudit: ${signal}: removing what the command created`);
      expect(await leftoverContainers()).toBe('');
      expect(readdirSync(temporary)).toEqual([]);
    });
  }
});

describe('dockaudit slim --tag', () => {
  it('refuses a tag that is the source image, by name or by what it names, and leaves the original as it was', async () => {
    const alias = 'da-test/slim-script:alias';
    await docker(['tag', SCRIPT_IMAGE, alias]);
    try {
      const before = await docker(['image', 'inspect', '-f', '{{.Id}}', SCRIPT_IMAGE]);
      for (const tag of [SCRIPT_IMAGE, `docker.io/${SCRIPT_IMAGE}`, alias]) {
        const result = await runCli(['slim', SCRIPT_IMAGE, '--tag', tag, '--seccomp', join(work, 'tag.json'), '--apparmor', join(work, 'tag.apparmor')]);
        expect(result.code, tag).toBe(2);
        expect(result.stderr.trim().split('\n'), tag).toHaveLength(1);
        expect(result.stderr, tag).toMatch(new RegExp(`^dockaudit: --tag ${tag.replace(/[.]/g, '\\.')} (is the image|already names) `));
      }
      expect(await docker(['image', 'inspect', '-f', '{{.Id}}', SCRIPT_IMAGE])).toBe(before);
      expect(await leftoverContainers()).toBe('');
    } finally {
      await docker(['rmi', alias]).catch(() => undefined);
    }
  });
});

describe('dockaudit slim on a web server', () => {
  let summary: SlimJson;
  beforeAll(async () => {
    const result = await runCli([
      'slim', HTTPD_IMAGE, '--tag', HTTPD_SLIM, '--http-probe', '8080/index.html',
      '--seccomp', join(work, 'httpd.json'), '--apparmor', join(work, 'httpd.apparmor'), '--format', 'json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    summary = parse(result);
  });

  it('probes the observed server and the slim one with the same answer', () => {
    expect(summary.observed.probe?.status).toBe(200);
    expect(summary.proof).toMatchObject({ passed: true, probe: { status: 200 } });
  });

  it('records the listening socket and serves from a smaller image', () => {
    expect(summary.network).toEqual(['inet6 stream']);
    expect(readFileSync(join(work, 'httpd.apparmor'), 'utf8')).toContain('network inet6 stream,');
    expect(summary.size.after).toBeLessThan(summary.size.before - 1024 * 1024);
    expect(summary.files.kept).toBeLessThan(10);
  });

  it('leaves no container behind', async () => {
    expect(await leftoverContainers()).toBe('');
  });
});
