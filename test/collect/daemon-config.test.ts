import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/index.js';
import { collectDaemonConfig, findDockerdCommandLine, parseDockerdFlags } from '../../src/collect/daemon-config.js';
import { startFaultDaemon } from './fault-daemon.js';

describe('parseDockerdFlags', () => {
  it('maps flags onto daemon.json keys, lists and objects included', () => {
    const settings = parseDockerdFlags([
      '-H', 'fd://',
      '--host=tcp://0.0.0.0:2375',
      '--icc=false',
      '--live-restore',
      '-l', 'debug',
      '--authorization-plugin=authz-broker',
      '--insecure-registry', 'reg.local:5000',
      '--log-opt', 'max-size=10m',
      '--log-opt=max-file=3',
      '--default-ulimit', 'nofile=1024:2048',
      '--userland-proxy=false',
      '--containerd=/run/containerd/containerd.sock',
    ]);
    expect(settings).toEqual({
      hosts: ['fd://', 'tcp://0.0.0.0:2375'],
      icc: false,
      'live-restore': true,
      'log-level': 'debug',
      'authorization-plugins': ['authz-broker'],
      'insecure-registries': ['reg.local:5000'],
      'log-opts': { 'max-size': '10m', 'max-file': '3' },
      'default-ulimits': { nofile: { Name: 'nofile', Soft: 1024, Hard: 2048 } },
      'userland-proxy': false,
      containerd: '/run/containerd/containerd.sock',
    });
  });

  it('treats a bare boolean flag as true without eating the next flag', () => {
    expect(parseDockerdFlags(['--tlsverify', '--tlscacert', '/ca.pem'])).toEqual({ tlsverify: true, tlscacert: '/ca.pem' });
  });
});

describe('findDockerdCommandLine', () => {
  function fakeProc(processes: Record<string, { comm: string; argv: string[] }>): string {
    const root = mkdtempSync(join(tmpdir(), 'da-proc-'));
    for (const [pid, process] of Object.entries(processes)) {
      mkdirSync(join(root, pid));
      writeFileSync(join(root, pid, 'comm'), `${process.comm}\n`);
      writeFileSync(join(root, pid, 'cmdline'), `${process.argv.join('\0')}\0`);
    }
    mkdirSync(join(root, 'self'));
    return root;
  }

  it('picks the dockerd serving the socket, telling two daemons apart', async () => {
    const root = fakeProc({
      '10': { comm: 'bash', argv: ['bash'] },
      '20': { comm: 'dockerd', argv: ['dockerd', '--icc=false'] },
      '30': { comm: 'dockerd', argv: ['dockerd', '-H', 'unix:///tmp/d2/docker.sock', '--iptables=false'] },
    });
    await expect(findDockerdCommandLine('/var/run/docker.sock', root)).resolves.toEqual(['dockerd', '--icc=false']);
    await expect(findDockerdCommandLine('/tmp/d2/docker.sock', root)).resolves.toEqual(['dockerd', '-H', 'unix:///tmp/d2/docker.sock', '--iptables=false']);
  });

  it('passes over a FIFO or an oversized name file where /proc is expected, without blocking', async () => {
    const root = fakeProc({ '20': { comm: 'dockerd', argv: ['dockerd', '--icc=false'] } });
    mkdirSync(join(root, '10'));
    execFileSync('mkfifo', [join(root, '10', 'comm')]);
    mkdirSync(join(root, '15'));
    writeFileSync(join(root, '15', 'comm'), `dockerd${' '.repeat(5000)}\n`);
    writeFileSync(join(root, '15', 'cmdline'), 'dockerd\0-H\0unix:///var/run/docker.sock\0');
    await expect(findDockerdCommandLine('/var/run/docker.sock', root)).resolves.toEqual(['dockerd', '--icc=false']);
  });

  it('passes over a dockerd whose command line or status is a FIFO, or whose command line is over its cap', async () => {
    const root = fakeProc({ '20': { comm: 'dockerd', argv: ['dockerd', '--icc=false'] } });
    mkdirSync(join(root, '11'));
    writeFileSync(join(root, '11', 'comm'), 'dockerd\n');
    execFileSync('mkfifo', [join(root, '11', 'cmdline')]);
    mkdirSync(join(root, '12'));
    writeFileSync(join(root, '12', 'comm'), 'dockerd\n');
    writeFileSync(join(root, '12', 'cmdline'), `dockerd\0-H\0unix:///var/run/docker.sock\0--label\0${'x'.repeat(300 * 1024)}\0`);
    await expect(findDockerdCommandLine('/var/run/docker.sock', root)).resolves.toEqual(['dockerd', '--icc=false']);
  });

  it('answers undefined when no dockerd serves the socket', async () => {
    const root = fakeProc({ '20': { comm: 'dockerd', argv: ['dockerd'] } });
    await expect(findDockerdCommandLine('/elsewhere.sock', root)).resolves.toBeUndefined();
  });
});

describe('the daemon configuration under a host root', () => {
  function hostRootTree(files: Record<string, string>, links: Record<string, string> = {}): string {
    const root = mkdtempSync(join(tmpdir(), 'da-hostroot-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    for (const [path, target] of Object.entries(links)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      symlinkSync(target, join(root, path));
    }
    return root;
  }

  it("reads the host's etc/docker/daemon.json, not this machine's, and no dockerd of this machine", async () => {
    const root = hostRootTree({ 'etc/docker/daemon.json': '{ "log-level": "debug" }' });
    const config = await collectDaemonConfig({ socketPath: '/var/run/docker.sock', hostRoot: root });
    expect(config).toEqual({
      configFile: { path: '/etc/docker/daemon.json', status: 'read' },
      settings: { 'log-level': 'debug' },
      origin: { 'log-level': 'file' },
    });
  });

  it("takes dockerd's command line from the host's /proc and its --config-file under the host root, links resolved inside it", async () => {
    const root = hostRootTree(
      {
        'proc/4242/comm': 'dockerd\n',
        'proc/4242/cmdline': ['/usr/bin/dockerd', '-H', 'fd://', '--config-file', '/etc/docker/custom.json', '--icc=false', ''].join('\0'),
        'srv/docker/custom.json': '{ "log-level": "warn", "icc": true }',
      },
      // An absolute link on the host: it must land in the host's /srv, not this machine's.
      { 'etc/docker/custom.json': '/srv/docker/custom.json' },
    );
    const config = await collectDaemonConfig({ socketPath: '/var/run/docker.sock', hostRoot: root });
    expect(config).toMatchObject({
      configFile: { path: '/etc/docker/custom.json', status: 'read' },
      commandLine: ['/usr/bin/dockerd', '-H', 'fd://', '--config-file', '/etc/docker/custom.json', '--icc=false'],
      settings: { 'log-level': 'warn', icc: false },
      origin: { 'log-level': 'file', icc: 'flag' },
    });
  });

  it('tells the daemon by its socket file when the socket is mounted at another path (a container on a host of several daemons)', async () => {
    const root = hostRootTree({
      // Two dockerds on the host: the one serving /var/run/docker.sock there is not ours.
      'proc/100/comm': 'dockerd\n',
      'proc/100/cmdline': ['/usr/bin/dockerd', '-H', 'unix:///var/run/docker.sock', ''].join('\0'),
      'proc/200/comm': 'dockerd\n',
      'proc/200/cmdline': ['/usr/bin/dockerd', '-H', 'unix:///srv/node2/docker.sock', '--icc=false', ''].join('\0'),
      'run/docker.sock': '',
    });
    // The second daemon's socket, as a bind mount shows it in the container: the same file.
    const server = createServer();
    mkdirSync(join(root, 'srv/node2'), { recursive: true });
    await new Promise<void>((resolve) => server.listen(join(root, 'srv/node2/docker.sock'), resolve));
    try {
      const mounted = join(mkdtempSync(join(tmpdir(), 'da-mounted-')), 'docker.sock');
      linkSync(join(root, 'srv/node2/docker.sock'), mounted);
      const config = await collectDaemonConfig({ socketPath: mounted, hostRoot: root });
      expect(config).toMatchObject({ commandLine: ['/usr/bin/dockerd', '-H', 'unix:///srv/node2/docker.sock', '--icc=false'], settings: { icc: false } });
    } finally {
      server.close();
    }
  });

  it('says the configuration is not visible when the host root has neither a dockerd nor a daemon.json', async () => {
    const root = hostRootTree({ 'etc/hostname': 'other\n' });
    await expect(collectDaemonConfig({ socketPath: '/var/run/docker.sock', hostRoot: root })).resolves.toEqual({
      unavailable: true,
      reason: 'the dockerd process serving /var/run/docker.sock is not visible from here and /etc/docker/daemon.json is absent',
    });
  });

  it('fails CIS 2.3 (DA203) on the log level of the host-root daemon.json in a full audit', async () => {
    const daemon = await startFaultDaemon();
    try {
      const root = hostRootTree({ 'etc/docker/daemon.json': '{ "log-level": "debug" }' });
      const report = await audit({ host: daemon.address, hostRoot: root, env: {} });
      const finding = report.findings.find((entry) => entry.ruleId === 'DA203');
      expect(finding).toMatchObject({ ruleId: 'DA203', status: 'fail', messageId: 'other' });
      expect(finding?.message).toContain('log level is debug');
    } finally {
      await daemon.close();
    }
  });
});

describe('a process that only calls itself dockerd', () => {
  function proc(root: string, pid: string, argv: string[], status: { nspid: number[]; uid: number }): void {
    mkdirSync(join(root, pid), { recursive: true });
    writeFileSync(join(root, pid, 'comm'), 'dockerd\n');
    writeFileSync(join(root, pid, 'cmdline'), `${argv.join('\0')}\0`);
    writeFileSync(join(root, pid, 'status'), `Name:\tdockerd\nUid:\t${status.uid}\t${status.uid}\t${status.uid}\t${status.uid}\nNSpid:\t${status.nspid.join('\t')}\n`);
  }
  const real = ['/usr/bin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock'];
  const fake = ['dockerd', '-H', 'unix:///var/run/docker.sock', '--icc=false', '--no-new-privileges', '--userns-remap=default'];

  it("is not taken for the host's daemon when it runs in a container (its own PID namespace)", async () => {
    const root = mkdtempSync(join(tmpdir(), 'da-proc-'));
    proc(root, '20', real, { nspid: [20], uid: 0 });
    proc(root, '31337', fake, { nspid: [31337, 7], uid: 0 });
    await expect(findDockerdCommandLine('/var/run/docker.sock', root)).resolves.toEqual(real);
  });

  it("is not taken for the daemon when it runs as a user who does not own the daemon's socket", async () => {
    const directory = mkdtempSync(join(tmpdir(), 'da-sock-'));
    const socket = join(directory, 'docker.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const root = mkdtempSync(join(tmpdir(), 'da-proc-'));
      const owner = statSync(socket).uid;
      proc(root, '20', ['/usr/bin/dockerd', '-H', `unix://${socket}`], { nspid: [20], uid: owner });
      proc(root, '15', ['dockerd', '-H', `unix://${socket}`, '--icc=false'], { nspid: [15], uid: owner + 1000 });
      await expect(findDockerdCommandLine(socket, root)).resolves.toEqual(['/usr/bin/dockerd', '-H', `unix://${socket}`]);
    } finally {
      server.close();
    }
  });

  it('makes the daemon unknown, not the first one listed, when two processes claim its socket alike', async () => {
    const root = mkdtempSync(join(tmpdir(), 'da-proc-'));
    proc(root, '20', ['dockerd', '-H', 'unix:///var/run/docker.sock'], { nspid: [20], uid: 0 });
    proc(root, '21', ['dockerd', '-H', 'unix:///var/run/docker.sock', '--icc=false'], { nspid: [21], uid: 0 });
    await expect(findDockerdCommandLine('/var/run/docker.sock', root)).resolves.toBeUndefined();
  });
});

describe('findDockerdCommandLine with socket activation', () => {
  it('takes the one dockerd started with -H fd:// for the default socket, and only for it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'da-proc-'));
    mkdirSync(join(root, '20'));
    writeFileSync(join(root, '20', 'comm'), 'dockerd\n');
    writeFileSync(join(root, '20', 'cmdline'), 'dockerd\0-H\0fd://\0--containerd=/run/containerd/containerd.sock\0');
    await expect(findDockerdCommandLine('/var/run/docker.sock', root)).resolves.toEqual(['dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock']);
    await expect(findDockerdCommandLine('/tmp/other.sock', root)).resolves.toBeUndefined();
  });
});
