import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apparmorProfile, validProfileName } from '../../src/slim/apparmor.js';
import { RUNTIME_SYSCALLS, allowedSyscalls, seccompProfile } from '../../src/slim/seccomp.js';
import { parseTrace, type FileAccess } from '../../src/slim/trace.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/slim/${name}`, import.meta.url), 'utf8');
const script = parseTrace(fixture('script.trace'), { workingDir: '/app' });
const httpd = parseTrace(fixture('httpd.trace'));

describe('seccompProfile', () => {
  it("is Docker's format: EPERM by default, one allow rule of observed and runtime syscalls", () => {
    const profile = seccompProfile(script, { arch: 'x64' });
    expect(profile.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(profile.architectures).toEqual(['SCMP_ARCH_X86_64']);
    expect(profile.syscalls).toHaveLength(1);
    const [rule] = profile.syscalls;
    expect(rule?.action).toBe('SCMP_ACT_ALLOW');
    expect(rule?.names).toEqual(expect.arrayContaining([...script.syscalls, ...RUNTIME_SYSCALLS]));
    expect(rule?.names).toEqual([...new Set(rule?.names)].sort());
    expect(rule?.names).not.toContain('ptrace');
    expect(rule?.names).not.toContain('mount');
  });

  it('leaves out syscalls asked to be denied, even those the runtime needs', () => {
    expect(allowedSyscalls(script, ['wait4', 'execve'])).not.toEqual(expect.arrayContaining(['wait4']));
    expect(allowedSyscalls(script, ['execve'])).not.toContain('execve');
  });

  it('refuses an architecture it has no name for', () => {
    expect(() => seccompProfile(script, { arch: 'mips' })).toThrow(/mips/);
  });
});

describe('apparmorProfile', () => {
  const text = apparmorProfile(httpd, { name: 'web-slim' });

  it('names the profile with the flags containers need', () => {
    expect(text).toContain('#include <tunables/global>');
    expect(text).toContain('profile web-slim flags=(attach_disconnected,mediate_deleted) {');
    expect(text.trimEnd().endsWith('}')).toBe(true);
  });

  it('turns observed paths into file rules with r, w, m and ix', () => {
    expect(text).toContain('  /www/index.html r,');
    expect(text).toContain('  /bin/httpd ix,');
    const script = apparmorProfile(parseTrace(fixture('script.trace'), { workingDir: '/app' }), { name: 'script' });
    expect(script).toContain('  /app/run.sh rix,');
    expect(script).toContain('  /tmp/count rw,');
    expect(script).toContain('  @{PROC}/*/exe rix,');
    const dynamic = apparmorProfile(parseTrace(fixture('dynamic.trace')), { name: 'dynamic' });
    expect(dynamic).toContain('  /lib/x86_64-linux-gnu/libc.so.6 rm,');
  });

  it('allows the socket families observed, and denies what a container never needs', () => {
    expect(text).toContain('  network inet6 stream,');
    expect(text).toContain('  deny @{PROC}/sys/** wklx,');
    expect(text).toContain('  deny mount,');
    expect(text).not.toContain('capability');
  });

  it('writes capability rules for privileged calls that succeeded', () => {
    const observation = parseTrace('1     chown("/data", 1000, 1000) = 0\n1     mkdir("/data/a b", 0755) = 0\n1     open("/x*y", O_RDONLY) = 3</x*y>');
    const profile = apparmorProfile(observation, { name: 'p' });
    expect(profile).toContain('  capability chown,');
    expect(profile).toContain('  "/data/a b" w,');
    expect(profile).toContain('  /x\\*y r,');
  });

  it('gives listed directories a trailing slash', () => {
    const files = new Map<string, Set<FileAccess>>([['/bin', new Set<FileAccess>(['list'])]]);
    expect(apparmorProfile({ files, network: [], capabilities: [] }, { name: 'p' })).toContain('  /bin/ r,');
  });

  it('accepts only plain profile names', () => {
    expect(validProfileName('dockaudit-slim-web_1.2')).toBe(true);
    expect(validProfileName('a b')).toBe(false);
    expect(() => apparmorProfile(httpd, { name: 'x{' })).toThrow();
  });

  it('is accepted by apparmor_parser (compiled, not loaded), and a broken profile is not', () => {
    const parser = ['/usr/sbin/apparmor_parser', '/sbin/apparmor_parser'].find((path) => existsSync(path));
    expect(parser, 'apparmor_parser is missing: install the Debian package apparmor (.ci/run does)').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'da-apparmor-'));
    for (const [name, observation] of [['script', script], ['httpd', httpd], ['dynamic', parseTrace(fixture('dynamic.trace'))]] as const) {
      writeFileSync(join(dir, name), apparmorProfile(observation, { name: `da-${name}` }));
      expect(() => execFileSync(parser as string, ['-Q', '-K', '-S', join(dir, name)], { stdio: 'pipe' })).not.toThrow();
    }
    writeFileSync(join(dir, 'broken'), apparmorProfile(script, { name: 'broken' }).replace('/tmp/count rw,', '/tmp/count rq,'));
    expect(() => execFileSync(parser as string, ['-Q', '-K', '-S', join(dir, 'broken')], { stdio: 'pipe' })).toThrow();
  });
});
