import { describe, expect, it } from 'vitest';
import { auditedPaths, recordsChanges, ruleCovers } from '../../src/parsers/audit-rules.js';

describe('auditedPaths', () => {
  it('reads watches with their permissions, defaulting to every access kind', () => {
    expect(auditedPaths('-w /usr/bin/dockerd -k docker')).toEqual([{ kind: 'watch', path: '/usr/bin/dockerd', permissions: 'rwxa' }]);
    expect(auditedPaths('-w /etc/docker/ -p wa -k docker')).toEqual([{ kind: 'watch', path: '/etc/docker', permissions: 'wa' }]);
  });

  it('reads path and dir filters of syscall rules, with perm=', () => {
    expect(auditedPaths('-a always,exit -F arch=b64 -S all -F path=/run/containerd -F perm=war -k docker')).toEqual([
      { kind: 'path', path: '/run/containerd', permissions: 'war' },
    ]);
    expect(auditedPaths('-a exit,always -F dir=/var/lib/docker//')).toEqual([{ kind: 'dir', path: '/var/lib/docker', permissions: 'rwxa' }]);
  });

  it('ignores comments, control lines, deletions, exclusions and filters that are not equality', () => {
    for (const line of ['# -w /etc/docker', '-D', '-b 8192', '-e 2', '-W /etc/docker', '-d always,exit -F path=/etc/docker', '-a never,exit -F dir=/var/lib/docker', '-a always,exit -F path!=/etc/docker', '-F path=/etc/docker']) {
      expect(auditedPaths(line), line).toEqual([]);
    }
  });
});

describe('recordsChanges and ruleCovers', () => {
  it('counts a rule that records writes or attribute changes', () => {
    expect(recordsChanges({ kind: 'watch', path: '/x', permissions: 'wa' })).toBe(true);
    expect(recordsChanges({ kind: 'watch', path: '/x', permissions: 'a' })).toBe(true);
    expect(recordsChanges({ kind: 'watch', path: '/x', permissions: 'rx' })).toBe(false);
  });

  it('covers the path itself, and a subtree only for watches and dir filters', () => {
    const watch = { kind: 'watch', path: '/etc/docker', permissions: 'wa' } as const;
    expect(ruleCovers(watch, '/etc/docker', '/etc/docker')).toBe(true);
    expect(ruleCovers(watch, '/etc/docker', '/etc/docker/daemon.json')).toBe(true);
    expect(ruleCovers(watch, '/etc/docker', '/etc/dockerd.json')).toBe(false);
    expect(ruleCovers({ ...watch, kind: 'dir' }, '/etc/docker', '/etc/docker/certs.d/x/ca.crt')).toBe(true);
    expect(ruleCovers({ ...watch, kind: 'path' }, '/etc/docker', '/etc/docker/daemon.json')).toBe(false);
    // A rule on a file never covers its directory.
    expect(ruleCovers(watch, '/etc/docker/daemon.json', '/etc/docker')).toBe(false);
  });
});
