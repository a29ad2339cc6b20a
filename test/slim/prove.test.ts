import { describe, expect, it } from 'vitest';
import { defaultProfileName, parseProbe } from '../../src/cli/slim-command.js';
import { parseLdd } from '../../src/slim/observe.js';
import { compareRuns } from '../../src/slim/prove.js';
import type { RunResult } from '../../src/slim/run.js';
import { formatSlimJson, formatSlimText } from '../../src/slim/summary.js';
import type { SlimSummary } from '../../src/slim/index.js';

const exited = (exitCode: number, stdout: string, extra: Partial<RunResult> = {}): RunResult => ({ started: true, exitCode, stopped: false, stdout, stderr: '', ...extra });

describe('compareRuns', () => {
  it('passes when the exit code and stdout match', () => {
    expect(compareRuns(exited(0, 'a\n'), exited(0, 'a\n'))).toEqual({ passed: true, differences: [] });
  });

  it('says what differed', () => {
    const verdict = compareRuns(exited(0, 'a\n'), exited(2, '', { stderr: 'wc: Operation not permitted\n' }));
    expect(verdict.passed).toBe(false);
    expect(verdict.differences).toEqual(['exit code 2, observed 0; stderr: wc: Operation not permitted', 'stdout differs: 0 bytes, observed 2']);
  });

  it('fails when the runtime could not start the process', () => {
    const verdict = compareRuns(exited(0, ''), { started: false, error: 'operation not permitted', stopped: false, stdout: '', stderr: '' });
    expect(verdict).toEqual({ passed: false, differences: ['the container did not start: operation not permitted'] });
  });

  it('compares the probe status for servers, not their output', () => {
    const observed = exited(137, 'log line 1\n', { stopped: true, probe: { path: '/', status: 200 } });
    expect(compareRuns(observed, exited(137, 'other log\n', { stopped: true, probe: { path: '/', status: 200 } })).passed).toBe(true);
    expect(compareRuns(observed, exited(137, '', { stopped: true, probe: { path: '/', status: 500 } })).differences).toEqual(['the HTTP probe answered 500, observed 200 for /']);
    expect(compareRuns(observed, exited(1, '', { probeError: 'the container exited before port 8080 answered' })).passed).toBe(false);
  });

  it('expects a command still running at the timeout to be still running in the proof', () => {
    const observed = exited(137, '', { stopped: true });
    expect(compareRuns(observed, exited(137, '', { stopped: true })).passed).toBe(true);
    expect(compareRuns(observed, exited(1, '')).passed).toBe(false);
  });
});

describe('command line helpers', () => {
  it('parses --http-probe', () => {
    expect(parseProbe('8080')).toEqual({ port: 8080, path: '/' });
    expect(parseProbe('80/healthz?full=1')).toEqual({ port: 80, path: '/healthz?full=1' });
    expect(() => parseProbe('http://x')).toThrow(/PORT/);
    expect(() => parseProbe('70000')).toThrow(/PORT/);
  });

  it('names profiles after the image', () => {
    expect(defaultProfileName('da-test/slim-script:1')).toBe('dockaudit-slim-da-test-slim-script-1');
    expect(defaultProfileName('registry:5000/a/b@sha256:ab')).toBe('dockaudit-slim-registry-5000-a-b-sha256-ab');
  });

  it("reads ldd's libraries and loader", () => {
    const output = [
      '\tlinux-vdso.so.1 (0x00007ffd)',
      '\tlibunwind-ptrace.so.0 => /lib/x86_64-linux-gnu/libunwind-ptrace.so.0 (0x00007f72)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f72)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f72)',
    ].join('\n');
    expect(parseLdd(output)).toEqual({ libraries: ['/lib/x86_64-linux-gnu/libunwind-ptrace.so.0', '/lib/x86_64-linux-gnu/libc.so.6'], loader: '/lib64/ld-linux-x86-64.so.2' });
  });
});

describe('summary', () => {
  const summary: SlimSummary = {
    image: 'app:1',
    command: ['/app/run.sh'],
    observed: { exitCode: 0, stopped: false, stdoutBytes: 24 },
    syscalls: { observed: 28, allowed: 60, runtime: 49, denied: [], unnamed: [] },
    files: { touched: 5, kept: 4, total: 278 },
    network: [],
    capabilities: [],
    size: { before: 3_034_174, after: 1_982_394, percentSaved: 34.7 },
    slimImage: 'app:slim',
    profiles: { seccomp: 'p.seccomp.json', apparmor: 'p.apparmor', apparmorCheck: { parse: 'valid', kernelEnforces: false } },
    proof: { passed: true, differences: [], image: 'app:slim', exitCode: 0, stopped: false },
    notes: ['AppArmor is not enabled in this kernel'],
  };

  it('fits one screen and says what was and was not proven', () => {
    const text = formatSlimText(summary);
    expect(text.split('\n').length).toBeLessThan(20);
    expect(text).toContain('28 observed, 60 allowed');
    expect(text).toContain('kept 4 of 278 files');
    expect(text).toContain('2.9 MB -> 1.9 MB (34.7% smaller)');
    expect(text).toContain('not enforced: this kernel has no AppArmor');
    expect(text).toContain('PASS: app:slim');
    expect(formatSlimText({ ...summary, proof: { ...summary.proof, passed: false, differences: ['exit code 1, observed 0'] } })).toContain('FAIL: app:slim under the seccomp profile: exit code 1, observed 0');
  });

  it('is JSON with a schema version', () => {
    expect(JSON.parse(formatSlimJson(summary))).toMatchObject({ schemaVersion: 1, proof: { passed: true }, size: { percentSaved: 34.7 } });
  });
});
