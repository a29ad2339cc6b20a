/**
 * Extra hosts for the tests that audit several daemons: a second dockerd beside the main one (its
 * own data root, exec root, socket and bridge), and an sshd on the loopback through which `ssh://`
 * reaches the main daemon with `docker system dial-stdio`. Each is started by a test and stopped
 * by it, leaving nothing behind.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, ready: () => boolean, timeoutMs: number, log: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (ready()) return;
    await sleep(250);
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000} s:\n${log()}`);
}

function succeeds(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

async function stopProcess(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

export interface SecondDaemon {
  /** `unix://…/docker.sock` */
  address: string;
  /** Runs the docker CLI against this daemon. */
  docker(args: string[], input?: Buffer): string;
  stop(): Promise<void>;
}

/** A /24 for the bridge that no route of this machine uses yet. */
function freeSubnet(): number {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const octet = 200 + (randomBytes(1)[0] as number) % 50;
    const routes = execFileSync('ip', ['-4', 'route', 'show', `172.31.${octet}.0/24`], { encoding: 'utf8' });
    if (routes.trim() === '') return octet;
  }
  throw new Error('no free 172.31.200-249.0/24 for the second daemon');
}

/**
 * Starts a dockerd of its own with `args` added (its configuration differs from the main one's),
 * on a bridge of its own: never `--bridge none`, which deletes the host's docker0.
 */
export async function startSecondDaemon(args: string[] = []): Promise<SecondDaemon> {
  const directory = mkdtempSync(join(tmpdir(), 'da-d2-'));
  const socket = join(directory, 'docker.sock');
  const address = `unix://${socket}`;
  const bridge = `da-br-${randomBytes(3).toString('hex')}`;
  const octet = freeSubnet();
  execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', `172.31.${octet}.1/24`, 'dev', bridge]);
  execFileSync('ip', ['link', 'set', bridge, 'up']);
  const logFile = join(directory, 'dockerd.log');
  const log = openSync(logFile, 'a');
  const child = spawn(
    'dockerd',
    ['--data-root', join(directory, 'data'), '--exec-root', join(directory, 'exec'), '--pidfile', join(directory, 'pid'), '-H', address, '--bridge', bridge, '--iptables=false', ...args],
    { stdio: ['ignore', log, log] },
  );
  const docker = (dockerArgs: string[], input?: Buffer): string =>
    execFileSync('docker', ['-H', address, ...dockerArgs], { encoding: 'utf8', timeout: 120_000, ...(input ? { input } : {}), env: { ...process.env, DOCKER_CONTEXT: '', DOCKER_HOST: '' } });
  const stop = async (): Promise<void> => {
    await stopProcess(child, 20_000);
    try {
      execFileSync('ip', ['link', 'del', bridge]);
    } catch {
      // Already gone.
    }
    // A dockerd that died starting may leave its data root mounted on itself.
    try {
      execFileSync('umount', [join(directory, 'data')], { stdio: 'ignore' });
    } catch {
      // Not mounted.
    }
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await waitFor('the second dockerd', () => child.exitCode === null && succeeds('docker', ['-H', address, 'info']), 60_000, () => readFileSync(logFile, 'utf8').slice(-3000));
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { address, docker, stop };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export interface SshServer {
  /** `ssh://root@127.0.0.1:PORT`: the main daemon, through `docker system dial-stdio` on the far side. */
  address: string;
  /**
   * A directory to put first on PATH: its `ssh` is the system's with this server's key and
   * known-hosts settings (as a user's ~/.ssh/config would give them).
   */
  binDirectory: string;
  stop(): Promise<void>;
}

/** An sshd on the loopback that lets root in with a key made for the test, and nothing else. */
export async function startSshServer(): Promise<SshServer> {
  const directory = mkdtempSync(join(tmpdir(), 'da-sshd-'));
  const binDirectory = join(directory, 'bin');
  mkdirSync(binDirectory);
  for (const key of ['host_key', 'client_key']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(directory, key)]);
  writeFileSync(join(directory, 'authorized_keys'), readFileSync(join(directory, 'client_key.pub')));
  const port = await freePort();
  const config = join(directory, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(directory, 'host_key')}`,
      `PidFile ${join(directory, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(directory, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(directory, 'ssh_config'),
    ['Host *', `  IdentityFile ${join(directory, 'client_key')}`, '  StrictHostKeyChecking no', '  UserKnownHostsFile /dev/null', '  LogLevel ERROR', ''].join('\n'),
  );
  const wrapper = join(binDirectory, 'ssh');
  writeFileSync(wrapper, `#!/bin/sh\nexec /usr/bin/ssh -F ${join(directory, 'ssh_config')} "$@"\n`);
  chmodSync(wrapper, 0o755);
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true });
  const logFile = join(directory, 'sshd.log');
  const log = openSync(logFile, 'a');
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', log, log] });
  const stop = async (): Promise<void> => {
    await stopProcess(child, 5_000);
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await waitFor('sshd', () => child.exitCode === null && readFileSync(logFile, 'utf8').includes('Server listening'), 20_000, () => readFileSync(logFile, 'utf8'));
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { address: `ssh://root@127.0.0.1:${port}`, binDirectory, stop };
}
