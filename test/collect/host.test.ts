import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostContext } from '../../src/collect/host/context.js';
import { collectHost, type HostCollectOptions } from '../../src/collect/host/index.js';
import { collectProcesses } from '../../src/collect/host/system.js';
import type { HostSystemFacts } from '../../src/snapshot/host.js';
import { isUnavailable, type DaemonFacts } from '../../src/snapshot/types.js';
import { defaultInfo, defaultVersion } from '../helpers/builder.js';

/** Writes a host tree: path → file text (with an optional mode), `->target` for a link, `/` suffix for a directory. */
function hostTree(entries: Record<string, string | { text: string; mode?: number; owner?: [number, number] }>): string {
  const root = mkdtempSync(join(tmpdir(), 'da-host-'));
  for (const [path, entry] of Object.entries(entries)) {
    const local = join(root, path);
    mkdirSync(dirname(local), { recursive: true });
    const spec = typeof entry === 'string' ? { text: entry } : entry;
    if (path.endsWith('/')) mkdirSync(local, { recursive: true });
    else if (spec.text.startsWith('->')) symlinkSync(spec.text.slice(2), local);
    else writeFileSync(local, spec.text);
    if (spec.mode !== undefined) chmodSync(local, spec.mode);
    if (spec.owner) chownSync(local, spec.owner[0], spec.owner[1]);
  }
  return root;
}

const PASSWD = ['root:x:0:0:root:/root:/bin/bash', 'alice:x:1000:1000::/home/alice:/bin/bash', 'bob:x:1001:105::/home/bob:/bin/bash', 'broken line'].join('\n');
const GROUP = ['root:x:0:', 'docker:x:105:alice', 'alice:x:1000:', 'staff:x:50:alice, bob'].join('\n');

function daemonFacts(settings: Record<string, unknown>, info: Record<string, unknown> = {}): DaemonFacts {
  return {
    info: { ...defaultInfo(), ...info },
    version: defaultVersion(),
    config: { configFile: { path: '/etc/docker/daemon.json', status: 'read' }, settings, origin: {} },
  };
}

async function system(root: string, options: Partial<HostCollectOptions> = {}): Promise<HostSystemFacts> {
  const facts = await collectHost({ hostRoot: root, daemonIsLocal: true, daemon: daemonFacts({}), env: {}, ...options });
  if (facts.system === undefined || isUnavailable(facts.system)) throw new Error(`host not collected: ${JSON.stringify(facts.system)}`);
  return facts.system;
}

describe('collectHost', () => {
  it('reads accounts, names owners from the host files and records modes of Docker paths', async () => {
    const root = hostTree({
      'etc/passwd': PASSWD,
      'etc/group': GROUP,
      'etc/docker/': { text: '', mode: 0o755 },
      'etc/docker/daemon.json': { text: '{}', mode: 0o644 },
      'etc/docker/certs.d/registry.example:5000/ca.crt': { text: 'cert', mode: 0o640, owner: [1000, 1000] },
      'etc/default/docker': { text: 'DOCKER_OPTS="--icc=false"\n', mode: 0o600 },
    });
    const facts = await system(root);
    expect(facts.root).toBe(root);
    expect(facts.users).toEqual([
      { name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/bash' },
      { name: 'alice', uid: 1000, gid: 1000, home: '/home/alice', shell: '/bin/bash' },
      { name: 'bob', uid: 1001, gid: 105, home: '/home/bob', shell: '/bin/bash' },
    ]);
    expect(facts.groups).toContainEqual({ name: 'staff', gid: 50, members: ['alice', 'bob'] });
    expect(facts.files['/etc/docker']).toMatchObject({ status: 'present', type: 'directory', mode: 0o755, owner: 'root', group: 'root' });
    expect(facts.files['/etc/docker/certs.d/registry.example:5000/ca.crt']).toMatchObject({
      type: 'file',
      mode: 0o640,
      uid: 1000,
      owner: 'alice',
      group: 'alice',
    });
    expect(facts.files['/etc/default/docker']).toMatchObject({ mode: 0o600 });
    expect(facts.files['/etc/sysconfig/docker']).toEqual({ path: '/etc/sysconfig/docker', status: 'absent' });
    for (const path of Object.keys(facts.files)) expect(path.startsWith(root)).toBe(false);
  });

  it('resolves absolute links inside the host root, never on the auditing machine', async () => {
    const root = hostTree({
      'etc/passwd': PASSWD,
      'etc/group': GROUP,
      'var/run': '->/run',
      'run/docker.sock': { text: 'not a socket', mode: 0o600 },
      'etc/docker/key.json': '->/etc/docker/missing.json',
      'usr/bin/docker': '->../libexec/docker/cli',
      'usr/libexec/docker/cli': { text: '#!/bin/sh', mode: 0o755 },
    });
    const facts = await system(root);
    // This machine has a real /run/docker.sock; the tree's own regular file must be what is seen.
    expect(facts.files['/var/run/docker.sock']).toMatchObject({ status: 'present', type: 'file', mode: 0o600, realPath: '/run/docker.sock' });
    expect(facts.files['/etc/docker/key.json']).toMatchObject({
      type: 'symlink',
      target: { path: '/etc/docker/missing.json', status: 'absent' },
    });
    expect(facts.binaries['docker']).toBe('/usr/bin/docker');
    expect(facts.files['/usr/bin/docker']).toMatchObject({
      type: 'symlink',
      realPath: '/usr/libexec/docker/cli',
      target: { path: '/usr/libexec/docker/cli', type: 'file', mode: 0o755 },
    });
  });

  it('finds units with drop-ins merged in order, masked units, and the binaries they start', async () => {
    const root = hostTree({
      'etc/passwd': PASSWD,
      'etc/group': GROUP,
      'lib/systemd/system/docker.service': '[Service]\nExecStart=/usr/bin/dockerd -H fd://\nTasksMax=infinity\n',
      'lib/systemd/system/docker.socket': '[Socket]\nListenStream=/run/docker.sock\nSocketGroup=docker\n',
      'etc/systemd/system/docker.service.d/20-limits.conf': '[Service]\nTasksMax=4096\n',
      'etc/systemd/system/docker.service.d/10-exec.conf': '[Service]\nExecStart=\nExecStart=/opt/docker/dockerd \\\n  --debug\n',
      'lib/systemd/system/docker.service.d/10-exec.conf': '[Service]\nExecStart=/hidden\n',
      'etc/systemd/system/containerd.service': '->/dev/null',
      'opt/docker/dockerd': { text: 'elf', mode: 0o755 },
      'usr/bin/dockerd': { text: 'elf', mode: 0o755 },
      'usr/bin/containerd': { text: 'elf', mode: 0o755 },
      'usr/sbin/runc': { text: 'elf', mode: 0o755 },
      'usr/local/bin/runc/': '',
    });
    const facts = await system(root, { daemon: daemonFacts({}, {}) });
    const docker = facts.units.find((unit) => unit.name === 'docker.service');
    expect(docker).toEqual({
      name: 'docker.service',
      fragmentPath: '/lib/systemd/system/docker.service',
      dropIns: ['/etc/systemd/system/docker.service.d/10-exec.conf', '/etc/systemd/system/docker.service.d/20-limits.conf'],
      directives: { ExecStart: '/opt/docker/dockerd    --debug', TasksMax: '4096' },
    });
    expect(facts.units.find((unit) => unit.name === 'containerd.service')).toMatchObject({ fragmentPath: '/dev/null', directives: {} });
    expect(facts.units.find((unit) => unit.name === 'docker.socket')?.directives['ListenStream']).toBe('/run/docker.sock');
    expect(facts.files['/lib/systemd/system/docker.service.d/10-exec.conf']).toMatchObject({ status: 'present' });
    // The unit's ExecStart names the daemon binary; runc is the first regular file on the system PATH.
    expect(facts.binaries).toEqual({ dockerd: '/opt/docker/dockerd', containerd: '/usr/bin/containerd', runc: '/usr/sbin/runc' });
  });

  it('prefers the running daemon over the unit for dockerd, and its runtime path for runc', async () => {
    const root = hostTree({
      'etc/passwd': PASSWD,
      'etc/group': GROUP,
      'lib/systemd/system/docker.service': '[Service]\nExecStart=/usr/bin/dockerd\n',
      'usr/bin/dockerd': { text: 'elf', mode: 0o755 },
      'usr/local/sbin/dockerd': { text: 'elf', mode: 0o755 },
      'usr/sbin/runc': { text: 'elf', mode: 0o755 },
      'opt/runc/runc': { text: 'elf', mode: 0o755 },
    });
    const daemon = daemonFacts({}, { Runtimes: { runc: { path: '/opt/runc/runc' } }, DefaultRuntime: 'runc' });
    if (!isUnavailable(daemon.config)) daemon.config.commandLine = ['/usr/local/sbin/dockerd', '--icc=false'];
    const facts = await system(root, { daemon });
    expect(facts.binaries['dockerd']).toBe('/usr/local/sbin/dockerd');
    expect(facts.binaries['runc']).toBe('/opt/runc/runc');
  });

  it('looks at the paths the daemon settings name: sockets, TLS files, containerd, the data root', async () => {
    const root = hostTree({
      'etc/passwd': PASSWD,
      'etc/group': GROUP,
      'custom/docker.sock': { text: '', mode: 0o660, owner: [0, 105] },
      'etc/docker/tls/ca.pem': { text: 'ca', mode: 0o444 },
      'srv/docker/': { text: '', mode: 0o710 },
    });
    const settings = { hosts: ['unix:///custom/docker.sock', 'tcp://0.0.0.0:2376'], tlsverify: true, tlscacert: '/etc/docker/tls/ca.pem', containerd: '/run/k/containerd.sock' };
    const facts = await system(root, { daemon: daemonFacts(settings, { DockerRootDir: '/srv/docker' }), socketPath: '/tmp/other.sock' });
    expect(facts.files['/custom/docker.sock']).toMatchObject({ mode: 0o660, group: 'docker' });
    expect(facts.files['/etc/docker/tls/ca.pem']).toMatchObject({ status: 'present', mode: 0o444 });
    // tlsverify without tlscert/tlskey: dockerd falls back to root's ~/.docker.
    expect(facts.files['/root/.docker/cert.pem']).toEqual({ path: '/root/.docker/cert.pem', status: 'absent' });
    expect(facts.files['/root/.docker/ca.pem']).toBeUndefined();
    for (const path of ['/var/run/docker.sock', '/tmp/other.sock', '/run/k/containerd.sock', '/run/containerd/containerd.sock', '/var/run/docker/containerd/containerd.sock', '/run/containerd', '/etc/containerd/config.toml']) {
      expect(facts.files[path], path).toBeDefined();
    }
    expect(facts.files['/srv/docker']).toMatchObject({ type: 'directory', mode: 0o710 });
  });

  it('bounds the walk of certs.d and says what it left out', async () => {
    const root = hostTree({
      'etc/passwd': PASSWD,
      'etc/group': GROUP,
      'etc/docker/certs.d/a/b/c/d/e/deep.crt': 'x',
      'etc/docker/certs.d/loop': '->/etc/docker/certs.d',
    });
    const facts = await system(root);
    expect(facts.files['/etc/docker/certs.d/a/b/c']).toMatchObject({ type: 'directory' });
    expect(facts.files['/etc/docker/certs.d/a/b/c/d']).toMatchObject({ type: 'directory' });
    expect(facts.files['/etc/docker/certs.d/a/b/c/d/e']).toBeUndefined();
    expect(facts.files['/etc/docker/certs.d/loop']).toMatchObject({ type: 'symlink', realPath: '/etc/docker/certs.d' });
    expect(facts.notVisible).toContain('/etc/docker/certs.d/a/b/c/d: deeper than 4 levels under /etc/docker/certs.d; not examined');
  });

  it('reads persistent audit rules and looks at the paths they name; live rules only on this machine', async () => {
    const root = hostTree({
      'etc/passwd': PASSWD,
      'etc/group': GROUP,
      'etc/audit/rules.d/docker.rules': '# Docker\n-w /usr/bin/dockerd -k docker\n\n-a always,exit -F path=/run/containerd -F perm=wa -k docker\n',
      'etc/audit/rules.d/ignored.txt': '-w /nowhere\n',
      'etc/audit/audit.rules': '-D\n-w /etc/docker -p wa\n',
      'run/containerd/': '',
    });
    const facts = await system(root);
    expect(facts.audit.persistent).toEqual([
      { file: '/etc/audit/rules.d/docker.rules', lines: ['-w /usr/bin/dockerd -k docker', '-a always,exit -F path=/run/containerd -F perm=wa -k docker'] },
      { file: '/etc/audit/audit.rules', lines: ['-D', '-w /etc/docker -p wa'] },
    ]);
    expect(facts.audit.live).toEqual({ unavailable: true, reason: `the live audit rules are those of the machine dockaudit runs on, not of the host at ${root}` });
    expect(facts.files['/run/containerd']).toMatchObject({ type: 'directory' });
    expect(facts.files['/usr/bin/dockerd']).toEqual({ path: '/usr/bin/dockerd', status: 'absent' });
    expect(facts.files['/nowhere']).toBeUndefined();
  });

  it('reports no persistent rules when auditd is not installed, as a fact', async () => {
    const facts = await system(hostTree({ 'etc/passwd': PASSWD, 'etc/group': GROUP }));
    expect(facts.audit.persistent).toEqual([]);
  });

  it('reads mounts from the host /proc when mounted there, else from fstab, and says so', async () => {
    const mountinfo = [
      '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
      '42 27 254:0 /var/lib/docker /var/lib/docker rw,relatime shared:1 - ext4 /dev/vda rw',
      '43 27 8:17 / /mnt/with\\040space rw - xfs /dev/sdb1 rw',
    ].join('\n');
    const live = await system(hostTree({ 'etc/passwd': PASSWD, 'etc/group': GROUP, 'proc/1/mountinfo': mountinfo }));
    expect(live.mounts).toEqual([
      { mountPoint: '/', source: '/dev/vda', fsType: 'ext4', options: 'rw,relatime', device: '254:0', fsRoot: '/' },
      { mountPoint: '/var/lib/docker', source: '/dev/vda', fsType: 'ext4', options: 'rw,relatime', device: '254:0', fsRoot: '/var/lib/docker' },
      { mountPoint: '/mnt/with space', source: '/dev/sdb1', fsType: 'xfs', options: 'rw', device: '8:17', fsRoot: '/' },
    ]);
    const fstab = '# comment\nUUID=abc / ext4 defaults 0 1\n/dev/vg/docker /var/lib/docker xfs noatime 0 2\n/swapfile none swap sw 0 0\n';
    const configured = await system(hostTree({ 'etc/passwd': PASSWD, 'etc/group': GROUP, 'etc/fstab': fstab }));
    expect(configured.mounts).toEqual([
      { mountPoint: '/', source: 'UUID=abc', fsType: 'ext4', options: 'defaults' },
      { mountPoint: '/var/lib/docker', source: '/dev/vg/docker', fsType: 'xfs', options: 'noatime' },
    ]);
    expect(configured.notVisible).toContain('mounts: the live mount table is not visible under the host root; mounts are those /etc/fstab configures');
    const none = await system(hostTree({ 'etc/passwd': PASSWD, 'etc/group': GROUP }));
    expect(isUnavailable(none.mounts)).toBe(true);
  });

  it('reads OS release, reboot marker, update-notifier counts without inventing package names', async () => {
    const root = hostTree({
      'etc/passwd': PASSWD,
      'etc/group': GROUP,
      'etc/os-release': 'ID=ubuntu\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n',
      'var/run': '->/run',
      'run/reboot-required': '*** System restart required ***\n',
      'var/lib/update-notifier/updates-available': '\n12 updates can be applied immediately.\n5 of these updates are standard security updates.\n',
    });
    const facts = await system(root);
    expect(facts.osRelease).toEqual({ ID: 'ubuntu', VERSION_ID: '22.04', PRETTY_NAME: 'Ubuntu 22.04.4 LTS' });
    expect(facts.rebootRequired).toBe(true);
    expect(facts.packageUpdates).toEqual({
      unavailable: true,
      reason: 'update-notifier says "12 updates can be applied immediately. 5 of these updates are standard security updates." but does not name the packages',
    });
    const fedora = await system(hostTree({ 'etc/passwd': PASSWD, 'etc/group': GROUP, 'etc/os-release': 'ID=fedora\n' }));
    expect(fedora.packageUpdates).toMatchObject({ unavailable: true, reason: expect.stringContaining('fedora is not apt-based') });
    expect(fedora.rebootRequired).toBe(false);
  });

  it("lists this machine's processes from /proc, this test's own among them with its name and arguments", async () => {
    const processes = await collectProcesses(new HostContext('/'));
    if (isUnavailable(processes)) throw new Error(processes.reason);
    const own = processes.find((entry) => entry.pid === process.pid);
    expect(own?.comm).toBe(readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim());
    // The command line as started: node's own options, then the script and its arguments.
    expect(own?.args.endsWith(` ${[...process.execArgv, ...process.argv.slice(1)].join(' ')}`)).toBe(true);
    expect(processes.map((entry) => entry.pid)).toEqual([...processes.map((entry) => entry.pid)].sort((a, b) => a - b));
    expect(processes.every((entry) => entry.args !== '')).toBe(true);
  });

  it('leaves out what only this machine’s kernel can tell, and says so', async () => {
    const facts = await system(hostTree({ 'etc/passwd': PASSWD, 'etc/group': GROUP }));
    expect(facts.sysctl).toEqual({});
    expect(isUnavailable(facts.processes)).toBe(true);
    expect(isUnavailable(facts.iptables)).toBe(true);
    expect(facts.notVisible.some((line) => line.startsWith('kernel settings (kernel.pid_max'))).toBe(true);
    expect(facts.notVisible.some((line) => line.startsWith('processes: '))).toBe(true);
    expect(facts.notVisible.some((line) => line.startsWith('firewall rules: '))).toBe(true);
  });

  it("reads processes and kernel settings from the host's live /proc mounted under the host root", async () => {
    const facts = await system(
      hostTree({
        'etc/passwd': PASSWD,
        'etc/group': GROUP,
        'proc/1/comm': 'systemd\n',
        'proc/1/cmdline': '/sbin/init\0',
        'proc/812/comm': 'dockerd\n',
        'proc/812/cmdline': '/usr/bin/dockerd\0-H\0fd://\0',
        'proc/sys/kernel/pid_max': '4194304\n',
        'proc/sys/vm/overcommit_memory': '1\n',
      }),
    );
    expect(facts.processes).toEqual([
      { pid: 1, comm: 'systemd', args: '/sbin/init' },
      { pid: 812, comm: 'dockerd', args: '/usr/bin/dockerd -H fd://' },
    ]);
    expect(facts.sysctl).toEqual({ 'kernel.pid_max': '4194304', 'vm.overcommit_memory': '1' });
    expect(facts.notVisible.some((line) => line.startsWith('processes: ') || line.startsWith('kernel settings'))).toBe(false);
    // The firewall needs this machine's tools: still not read.
    expect(isUnavailable(facts.iptables)).toBe(true);
  });

  it('collects DOCKER_* variables of the process and of system-wide files, credentials redacted', async () => {
    const root = hostTree({
      'etc/passwd': PASSWD,
      'etc/group': GROUP,
      'etc/environment': 'PATH="/usr/bin"\nDOCKER_CONTENT_TRUST=1\n',
      'etc/profile.d/docker.sh': 'export DOCKER_CONTENT_TRUST="0"  \n# DOCKER_CONTENT_TRUST=1\nexport DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE=hunter2\n',
      'etc/profile.d/other.txt': 'DOCKER_X=1\n',
    });
    const facts = await system(root, { env: { DOCKER_CONTENT_TRUST: '1', DOCKER_AUTH_CONFIG: '{"auths":{}}', HOME: '/root' } });
    expect(facts.environment).toEqual({
      process: { DOCKER_CONTENT_TRUST: '1', DOCKER_AUTH_CONFIG: '(redacted)' },
      files: [
        { path: '/etc/environment', values: { DOCKER_CONTENT_TRUST: '1' } },
        { path: '/etc/profile.d/docker.sh', values: { DOCKER_CONTENT_TRUST: '0', DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: '(redacted)' } },
      ],
    });
  });

  it('merges journald drop-ins and finds syslog forwarding in rsyslog and syslog-ng', async () => {
    const root = hostTree({
      'etc/passwd': PASSWD,
      'etc/group': GROUP,
      'etc/systemd/journald.conf': '[Journal]\nStorage=volatile\n',
      'usr/lib/systemd/journald.conf.d/10-vendor.conf': '[Journal]\nStorage=none\n',
      'etc/systemd/journald.conf.d/10-vendor.conf': '[Journal]\nStorage=auto\n',
      'etc/systemd/journald.conf.d/20-site.conf': '[Journal]\nStorage=persistent\n',
      'var/log/journal/': '',
      'etc/rsyslog.conf': '*.* @@loghost.example:514\n#*.* @commented\nauth.* /var/log/auth.log\n',
      'etc/rsyslog.d/50-remote.conf': 'action(type="omfwd" target="10.0.0.9" port="514" protocol="tcp")\n',
      'etc/syslog-ng/syslog-ng.conf': 'source s_net { syslog(ip(0.0.0.0)); };\ndestination d_remote {\n  network("10.0.0.1" port(514));\n};\n',
    });
    const facts = await system(root);
    expect(facts.journald).toEqual({ storage: 'persistent', persistentDirectory: true });
    expect(facts.syslogForwarding).toEqual([
      '*.* @@loghost.example:514',
      'action(type="omfwd" target="10.0.0.9" port="514" protocol="tcp")',
      'network("10.0.0.1" port(514));',
    ]);
    const bare = await system(hostTree({ 'etc/passwd': PASSWD, 'etc/group': GROUP }));
    expect(bare.journald).toEqual({ unavailable: true, reason: 'systemd-journald is not installed' });
  });

  it('records what it cannot read as such, never opening a FIFO, and lists it as not visible', async () => {
    const root = hostTree({ 'etc/passwd/': '', 'etc/group': GROUP, 'etc/audit/rules.d/': '' });
    execFileSync('mkfifo', [join(root, 'etc/audit/rules.d/docker.rules')]);
    const facts = await system(root);
    expect(facts.users).toEqual({ unavailable: true, reason: '/etc/passwd: not a regular file (directory)' });
    expect(facts.audit.persistent).toEqual({ unavailable: true, reason: '/etc/audit/rules.d/docker.rules: not a regular file (other)' });
    expect(facts.notVisible).toEqual(
      expect.arrayContaining([
        '/etc/passwd: not a regular file (directory)',
        'persistent audit rules: /etc/audit/rules.d/docker.rules: not a regular file (other)',
      ]),
    );
  });

  it('makes the accounts unavailable with the reason when their files are missing', async () => {
    const facts = await system(hostTree({ 'etc/hostname': 'tree-host\n' }));
    expect(facts.users).toEqual({ unavailable: true, reason: '/etc/passwd is absent' });
    expect(facts.notVisible).toContain('users: /etc/passwd is absent');
  });

  it('does not describe this machine as the host of a remote daemon, unless a host root is given', async () => {
    const remote = await collectHost({ hostRoot: '/', daemonIsLocal: false, daemon: daemonFacts({}, { Name: 'far-host' }), daemonAddress: 'tcp://10.0.0.5:2376' });
    expect(remote.hostname).toBe('far-host');
    expect(remote.system).toEqual({
      unavailable: true,
      reason: 'the daemon at tcp://10.0.0.5:2376 is not on this machine; use --host-root to audit its filesystem',
    });
    const root = hostTree({ 'etc/passwd': PASSWD, 'etc/group': GROUP, 'etc/hostname': 'tree-host\n' });
    const given = await collectHost({ hostRoot: root, daemonIsLocal: false, daemon: daemonFacts({}), env: {} });
    expect(given.hostname).toBe('tree-host');
    expect(isUnavailable(given.system)).toBe(false);
  });

  it('says why a host root that is not a directory cannot be audited', async () => {
    const root = hostTree({ file: 'x' });
    const facts = await collectHost({ hostRoot: join(root, 'file'), daemonIsLocal: true, daemon: daemonFacts({}) });
    expect(facts.system).toEqual({ unavailable: true, reason: `the host root ${join(root, 'file')} is not a directory` });
    const missing = await collectHost({ hostRoot: join(root, 'nope'), daemonIsLocal: true, daemon: daemonFacts({}) });
    expect(missing.system).toMatchObject({ unavailable: true, reason: expect.stringContaining('cannot be read: ENOENT') });
  });
});
