import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectAudit } from '../../src/collect/host/audit.js';
import { HostContext } from '../../src/collect/host/context.js';
import { collectPackageUpdates } from '../../src/collect/host/system.js';
import { runTool } from '../../src/collect/host/tools.js';

/** A directory of fake tools, each a shell script body. */
function fakeTools(tools: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'da-tools-'));
  for (const [name, body] of Object.entries(tools)) {
    const path = join(directory, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
  }
  return directory;
}

describe('runTool', () => {
  const searchPath = [
    fakeTools({
      ok: 'echo "$@"',
      denied: 'echo "You must be root to run this program." >&2; exit 4',
      slow: 'sleep 5',
      loud: 'head -c 5000 /dev/zero',
      hundred: 'echo updates; exit 100',
    }),
  ];

  it('runs a tool by absolute path with its arguments, no shell in between', async () => {
    await expect(runTool('ok', ['-l', '$HOME;', '*'], { timeoutMs: 5000, maxBytes: 1000, searchPath })).resolves.toEqual({
      ok: true,
      stdout: '-l $HOME; *\n',
      exitCode: 0,
    });
  });

  it('says why there is no answer: missing, failing, too slow, too loud', async () => {
    const options = { timeoutMs: 300, maxBytes: 1000, searchPath };
    await expect(runTool('absent-tool', [], options)).resolves.toEqual({ ok: false, reason: 'absent-tool is not installed' });
    await expect(runTool('denied', [], options)).resolves.toEqual({ ok: false, reason: 'denied failed: You must be root to run this program.' });
    await expect(runTool('slow', [], options)).resolves.toEqual({ ok: false, reason: 'slow did not finish within 0.3 s' });
    await expect(runTool('loud', [], options)).resolves.toEqual({ ok: false, reason: 'loud printed more than 1000 bytes' });
  });

  it('accepts the exit codes a tool uses for an answer', async () => {
    await expect(runTool('hundred', [], { timeoutMs: 5000, maxBytes: 1000, searchPath, okExitCodes: [100] })).resolves.toMatchObject({
      ok: true,
      exitCode: 100,
    });
  });
});

describe('live audit rules on this machine', () => {
  it('lists the live rules, an empty set as such, and the reason when auditctl refuses', async () => {
    const listed = fakeTools({ auditctl: 'printf -- "-w /usr/sbin/dockerd -p rwxa -k docker\\n-a always,exit -S all -F dir=/etc/docker -F perm=wa\\n"' });
    const audit = await collectAudit(new HostContext('/'), { searchPath: [listed] });
    expect(audit.live).toEqual(['-w /usr/sbin/dockerd -p rwxa -k docker', '-a always,exit -S all -F dir=/etc/docker -F perm=wa']);

    const empty = fakeTools({ auditctl: 'echo "No rules"' });
    expect((await collectAudit(new HostContext('/'), { searchPath: [empty] })).live).toEqual([]);

    const refused = fakeTools({ auditctl: 'echo "You must be root to run this program." >&2; exit 4' });
    const context = new HostContext('/');
    expect((await collectAudit(context, { searchPath: [refused] })).live).toEqual({
      unavailable: true,
      reason: 'auditctl failed: You must be root to run this program.',
    });
    expect(context.notVisible).toContain('live audit rules: auditctl failed: You must be root to run this program.');
  });
});

describe('pending upgrades through apt on this machine', () => {
  it('lists the packages an offline apt simulation would upgrade, not new installs', async () => {
    const apt = fakeTools({
      'apt-get': [
        'case "$*" in *-s*dist-upgrade*) ;; *) exit 9 ;; esac',
        'echo "Reading package lists..."',
        'echo "Inst libssl3 [3.0.11-1~deb12u2] (3.0.17-1~deb12u2 Debian-Security:12/oldstable-security [amd64])"',
        'echo "Inst linux-image-6.1.0-40 (6.1.153-1 Debian:12.12/oldstable [amd64])"',
        'echo "Inst docker.io [20.10.24+dfsg1-1+deb12u1] (20.10.24+dfsg1-1+deb12u2 Debian-Security:12/oldstable-security [amd64])"',
        'echo "Conf libssl3 (3.0.17-1~deb12u2 Debian-Security:12/oldstable-security [amd64])"',
      ].join('\n'),
    });
    const updates = await collectPackageUpdates(new HostContext('/'), { ID: 'debian' }, { searchPath: [apt] });
    expect(updates).toMatchObject({ manager: 'apt', pending: ['docker.io', 'libssl3'] });
  });
});
