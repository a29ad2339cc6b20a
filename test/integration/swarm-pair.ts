/**
 * A two-node Swarm of its own on this machine, for `audit --swarm`: a manager dockerd and a worker
 * dockerd, each with its own data root, exec root, socket and bridge, each in a network namespace
 * of its own, joined over a veth pair between the two namespaces. Nothing of either is on the
 * host's network (no route, port, bridge or firewall rule there), so neither the main daemon nor
 * a Swarm it may be part of is touched. Both daemons have the dockaudit image, built with
 * `scripts/image.mjs` on the manager and loaded on the worker (there is no registry).
 *
 * Everything has fixed names under one prefix, so a run that died leaves nothing the next run
 * cannot remove first: the daemons (by the pid files they wrote), mounts under the directory,
 * the namespace, links and the directory itself.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './scenario.js';

export const PAIR_DIR = '/tmp/dockaudit-swarm-pair';
const NETNS = { manager: 'da-swarm-m', worker: 'da-swarm-w' } as const;
const netnsPath = (role: Role): string => `/var/run/netns/${NETNS[role]}`;
const VETH = { manager: 'da-swv0', worker: 'da-swv1' } as const;
const ADDRESS = { manager: '10.77.0.1', worker: '10.77.0.2' } as const;
const BRIDGE = { manager: 'da-swbr0', worker: 'da-swbr1' } as const;
const BRIDGE_SUBNET = { manager: '172.30.240', worker: '172.30.241' } as const;
const SWARM_PORT = 2377;

type Role = 'manager' | 'worker';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function run(command: string, args: string[], options: { input?: Buffer; timeoutMs?: number } = {}): string {
  return execFileSync(command, args, { encoding: 'utf8', timeout: options.timeoutMs ?? 60_000, maxBuffer: 512 * 1024 * 1024, ...(options.input ? { input: options.input } : {}), stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
}

function attempt(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** nsenter's arguments to run `args` in a role's namespace (not `ip netns exec`, which remounts /sys). */
const inNamespace = (role: Role, args: string[]): string[] => [`--net=${netnsPath(role)}`, ...args];

export interface SwarmNodeDaemon {
  /** `unix://…/docker.sock` */
  address: string;
  /** The path of its socket. */
  socket: string;
  docker(args: string[], input?: Buffer): string;
  /** Its swarm node id, once joined. */
  nodeId: string;
  /** The dockerd process (SIGSTOP makes the node stop answering). */
  pid(): number;
}

export interface SwarmPair {
  manager: SwarmNodeDaemon;
  worker: SwarmNodeDaemon;
  /** `--swarm-socket` for the pair: each node's own socket, through a link named by its node id. */
  socketTemplate: string;
  /** The image both nodes hold. */
  image: string;
  stop(): Promise<void>;
}

function daemonDirectory(role: Role): string {
  return join(PAIR_DIR, role);
}

/** Whether `pid` is a dockerd started for this pair (its command line names the pair's directory). */
function isPairDockerd(pid: number): boolean {
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return comm === 'dockerd' && cmdline.includes(PAIR_DIR);
  } catch {
    return false;
  }
}

async function stopDockerd(role: Role): Promise<void> {
  const pidFile = join(daemonDirectory(role), 'pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isPairDockerd(pid)) return;
  // A node stopped by a test must be able to take the signal.
  process.kill(pid, 'SIGCONT');
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 20_000 && isPairDockerd(pid); waited += 250) await sleep(250);
  if (isPairDockerd(pid)) process.kill(pid, 'SIGKILL');
  for (let waited = 0; waited < 5_000 && isPairDockerd(pid); waited += 250) await sleep(250);
}

/** Removes whatever this pair (or an earlier run of it) left: daemons, mounts, links, namespace, files. */
export async function removePair(): Promise<void> {
  await Promise.all([stopDockerd('manager'), stopDockerd('worker')]);
  // The daemons' containerd shims and mounts go with them; a daemon killed hard may leave mounts.
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((path) => path.startsWith(`${PAIR_DIR}/`))
    .sort((a, b) => b.length - a.length);
  for (const path of mounts) attempt('umount', ['-l', path]);
  // Deleting a namespace deletes the links in it: the veth pair and the bridges.
  for (const role of ['manager', 'worker'] as const) if (existsSync(netnsPath(role))) attempt('ip', ['netns', 'del', NETNS[role]]);
  rmSync(PAIR_DIR, { recursive: true, force: true });
}

function startDockerd(role: Role, args: string[]): { child: ChildProcess; daemon: Omit<SwarmNodeDaemon, 'nodeId'> } {
  const directory = daemonDirectory(role);
  mkdirSync(directory, { recursive: true });
  const socket = join(directory, 'docker.sock');
  const address = `unix://${socket}`;
  const log = openSync(join(directory, 'dockerd.log'), 'a');
  const dockerd = ['dockerd', '--data-root', join(directory, 'data'), '--exec-root', join(directory, 'exec'), '--pidfile', join(directory, 'pid'), '-H', address, ...args];
  // Each daemon runs in its own namespace.
  const child = spawn('nsenter', inNamespace(role, dockerd), { stdio: ['ignore', log, log], detached: true });
  child.unref();
  const env = { ...process.env, DOCKER_CONTEXT: '', DOCKER_HOST: '' };
  const docker = (dockerArgs: string[], input?: Buffer): string =>
    execFileSync('docker', ['-H', address, ...dockerArgs], { encoding: 'utf8', timeout: 180_000, maxBuffer: 512 * 1024 * 1024, env, ...(input ? { input } : {}), stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] }).trim();
  const pid = (): number => Number(readFileSync(join(directory, 'pid'), 'utf8').trim());
  return { child, daemon: { address, socket, docker, pid } };
}

async function waitForDaemon(role: string, child: ChildProcess, address: string): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 500) {
    if (attempt('docker', ['-H', address, 'info'])) return;
    if (child.exitCode !== null) break;
    await sleep(500);
  }
  const log = readFileSync(join(PAIR_DIR, role, 'dockerd.log'), 'utf8').slice(-3000);
  throw new Error(`the ${role} dockerd did not start:\n${log}`);
}

/**
 * Starts the pair and joins it. The two daemons differ on purpose: the worker reads a daemon.json
 * (`--config-file`) with inter-container communication off and the debug log level.
 */
export async function startPair(): Promise<SwarmPair> {
  await removePair();
  try {
    mkdirSync(join(PAIR_DIR, 'sockets'), { recursive: true });
    for (const role of ['manager', 'worker'] as const) run('ip', ['netns', 'add', NETNS[role]]);
    // The veth pair joins the two namespaces directly.
    run('ip', ['link', 'add', VETH.manager, 'netns', NETNS.manager, 'type', 'veth', 'peer', 'name', VETH.worker, 'netns', NETNS.worker]);
    for (const role of ['manager', 'worker'] as const) {
      const inside = (args: string[]): string => run('nsenter', inNamespace(role, args));
      inside(['ip', 'link', 'set', 'lo', 'up']);
      inside(['ip', 'addr', 'add', `${ADDRESS[role]}/24`, 'dev', VETH[role]]);
      inside(['ip', 'link', 'set', VETH[role], 'up']);
      // Each daemon's default bridge, inside its namespace.
      inside(['ip', 'link', 'add', BRIDGE[role], 'type', 'bridge']);
      inside(['ip', 'addr', 'add', `${BRIDGE_SUBNET[role]}.1/24`, 'dev', BRIDGE[role]]);
      inside(['ip', 'link', 'set', BRIDGE[role], 'up']);
    }
    const workerConfig = join(PAIR_DIR, 'worker-daemon.json');
    writeFileSync(workerConfig, `${JSON.stringify({ icc: false, 'log-level': 'debug' }, null, 2)}\n`);
    // The two differ on purpose: the manager keeps the defaults (icc on, no firewall rules), the
    // worker's daemon.json turns icc off (which needs its iptables: its namespace's own).
    const manager = startDockerd('manager', ['--bridge', BRIDGE.manager, '--iptables=false', '--ip-masq=false']);
    const worker = startDockerd('worker', ['--bridge', BRIDGE.worker, '--config-file', workerConfig]);
    await Promise.all([waitForDaemon('manager', manager.child, manager.daemon.address), waitForDaemon('worker', worker.child, worker.daemon.address)]);
    manager.daemon.docker(['swarm', 'init', '--advertise-addr', `${ADDRESS.manager}:${SWARM_PORT}`, '--listen-addr', `${ADDRESS.manager}:${SWARM_PORT}`]);
    const token = manager.daemon.docker(['swarm', 'join-token', '-q', 'worker']);
    worker.daemon.docker(['swarm', 'join', '--token', token, '--advertise-addr', ADDRESS.worker, '--listen-addr', `${ADDRESS.worker}:${SWARM_PORT}`, `${ADDRESS.manager}:${SWARM_PORT}`]);
    const managerId = manager.daemon.docker(['info', '--format', '{{.Swarm.NodeID}}']);
    const workerId = worker.daemon.docker(['info', '--format', '{{.Swarm.NodeID}}']);
    for (let waited = 0; ; waited += 500) {
      const states = manager.daemon.docker(['node', 'ls', '--format', '{{.Status}}']).split('\n');
      if (states.length === 2 && states.every((state) => state === 'Ready')) break;
      if (waited > 60_000) throw new Error(`the worker did not become Ready: ${states.join(', ')}`);
      await sleep(500);
    }
    // Each node's own socket, under one path template of node ids.
    symlinkSync(manager.daemon.socket, join(PAIR_DIR, 'sockets', `${managerId}.sock`));
    symlinkSync(worker.daemon.socket, join(PAIR_DIR, 'sockets', `${workerId}.sock`));
    // The image, built on the manager from this machine's node, then loaded on the worker.
    const built = execFileSync(process.execPath, [join(ROOT, 'scripts/image.mjs')], {
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, DOCKER_CONTEXT: '', DOCKER_HOST: manager.daemon.address },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const image = built.trim().split('\n').pop() as string;
    const archive = join(PAIR_DIR, 'image.tar');
    manager.daemon.docker(['save', '-o', archive, image]);
    worker.daemon.docker(['load', '-i', archive]);
    rmSync(archive);
    return {
      manager: { ...manager.daemon, nodeId: managerId },
      worker: { ...worker.daemon, nodeId: workerId },
      socketTemplate: join(PAIR_DIR, 'sockets', '{{.Node.ID}}.sock'),
      image,
      stop: removePair,
    };
  } catch (error) {
    await removePair().catch(() => undefined);
    throw error;
  }
}
