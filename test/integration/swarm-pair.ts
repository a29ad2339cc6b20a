/**
 * A two-node Swarm of its own on this machine, for `audit --swarm`: a manager dockerd (own data
 * root, exec root, socket and bridge) and a worker dockerd in a network namespace, joined over a
 * veth pair. The main daemon is never touched. Both daemons have the dockaudit image, built with
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
const NETNS = 'da-swarm-w';
const NETNS_PATH = `/var/run/netns/${NETNS}`;
const VETH_HOST = 'da-swv0';
const VETH_NS = 'da-swv1';
const BRIDGE_MANAGER = 'da-swbr0';
const BRIDGE_WORKER = 'da-swbr1';
const GWBRIDGE_MANAGER = 'da-swgw0';
/** Not 2377: a Swarm of the main daemon may listen on every address at that port. */
const SWARM_PORT = 2477;
/** Not 4789, for the same reason. */
const DATA_PATH_PORT = 4799;

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

const inNamespace = (args: string[]): string[] => [`--net=${NETNS_PATH}`, ...args];

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

function daemonDirectory(role: 'manager' | 'worker'): string {
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

async function stopDockerd(role: 'manager' | 'worker'): Promise<void> {
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
  if (existsSync(NETNS_PATH)) attempt('ip', ['netns', 'del', NETNS]);
  for (const link of [VETH_HOST, BRIDGE_MANAGER, GWBRIDGE_MANAGER]) {
    if (attempt('ip', ['link', 'show', link])) attempt('ip', ['link', 'del', link]);
  }
  rmSync(PAIR_DIR, { recursive: true, force: true });
}

/** A 10.77.N.0/24 that no route of this machine uses yet, for the veth pair. */
function freeVethSubnet(): string {
  for (let octet = 0; octet < 64; octet += 1) {
    if (run('ip', ['-4', 'route', 'show', `10.77.${octet}.0/24`]).trim() === '') return `10.77.${octet}`;
  }
  throw new Error('no free 10.77.N.0/24 for the veth pair');
}

/** A 172.30.N.0/24 free of routes, for a bridge of the pair. */
function freeBridgeSubnet(taken: string[]): string {
  for (let octet = 240; octet < 255; octet += 1) {
    const prefix = `172.30.${octet}`;
    if (!taken.includes(prefix) && run('ip', ['-4', 'route', 'show', `${prefix}.0/24`]).trim() === '') return prefix;
  }
  throw new Error('no free 172.30.N.0/24 for the bridges of the pair');
}

function startDockerd(role: 'manager' | 'worker', args: string[]): { child: ChildProcess; daemon: Omit<SwarmNodeDaemon, 'nodeId'> } {
  const directory = daemonDirectory(role);
  mkdirSync(directory, { recursive: true });
  const socket = join(directory, 'docker.sock');
  const address = `unix://${socket}`;
  const log = openSync(join(directory, 'dockerd.log'), 'a');
  const dockerd = ['dockerd', '--data-root', join(directory, 'data'), '--exec-root', join(directory, 'exec'), '--pidfile', join(directory, 'pid'), '-H', address, ...args];
  // The worker runs in the namespace: nsenter, not `ip netns exec`, which remounts /sys.
  const child = role === 'worker' ? spawn('nsenter', inNamespace(dockerd), { stdio: ['ignore', log, log], detached: true }) : spawn(dockerd[0] as string, dockerd.slice(1), { stdio: ['ignore', log, log], detached: true });
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
    const veth = freeVethSubnet();
    const managerBridge = freeBridgeSubnet([]);
    const workerBridge = freeBridgeSubnet([managerBridge]);
    const gatewayBridge = freeBridgeSubnet([managerBridge, workerBridge]);
    // The manager's default bridge, on the host.
    run('ip', ['link', 'add', BRIDGE_MANAGER, 'type', 'bridge']);
    run('ip', ['addr', 'add', `${managerBridge}.1/24`, 'dev', BRIDGE_MANAGER]);
    run('ip', ['link', 'set', BRIDGE_MANAGER, 'up']);
    // The worker's namespace, reached over a veth pair, with a bridge of its own inside.
    run('ip', ['netns', 'add', NETNS]);
    run('ip', ['link', 'add', VETH_HOST, 'type', 'veth', 'peer', 'name', VETH_NS]);
    run('ip', ['link', 'set', VETH_NS, 'netns', NETNS]);
    run('ip', ['addr', 'add', `${veth}.1/24`, 'dev', VETH_HOST]);
    run('ip', ['link', 'set', VETH_HOST, 'up']);
    run('nsenter', inNamespace(['ip', 'addr', 'add', `${veth}.2/24`, 'dev', VETH_NS]));
    run('nsenter', inNamespace(['ip', 'link', 'set', VETH_NS, 'up']));
    run('nsenter', inNamespace(['ip', 'link', 'set', 'lo', 'up']));
    run('nsenter', inNamespace(['ip', 'route', 'add', 'default', 'via', `${veth}.1`]));
    run('nsenter', inNamespace(['ip', 'link', 'add', BRIDGE_WORKER, 'type', 'bridge']));
    run('nsenter', inNamespace(['ip', 'addr', 'add', `${workerBridge}.1/24`, 'dev', BRIDGE_WORKER]));
    run('nsenter', inNamespace(['ip', 'link', 'set', BRIDGE_WORKER, 'up']));
    const workerConfig = join(PAIR_DIR, 'worker-daemon.json');
    writeFileSync(workerConfig, `${JSON.stringify({ icc: false, 'log-level': 'debug' }, null, 2)}\n`);
    // The manager leaves the host's firewall alone; the worker's iptables are its namespace's own
    // (and icc=false needs them).
    const manager = startDockerd('manager', ['--bridge', BRIDGE_MANAGER, '--iptables=false', '--ip-masq=false']);
    const worker = startDockerd('worker', ['--bridge', BRIDGE_WORKER, '--config-file', workerConfig]);
    await Promise.all([waitForDaemon('manager', manager.child, manager.daemon.address), waitForDaemon('worker', worker.child, worker.daemon.address)]);
    // The manager's docker_gwbridge, made before the swarm is, on a Linux bridge of its own name:
    // the default name may belong to the main daemon.
    manager.daemon.docker([
      'network', 'create', '--driver', 'bridge', '--subnet', `${gatewayBridge}.0/24`,
      '--opt', `com.docker.network.bridge.name=${GWBRIDGE_MANAGER}`,
      '--opt', 'com.docker.network.bridge.enable_icc=false',
      '--opt', 'com.docker.network.bridge.enable_ip_masquerade=false',
      'docker_gwbridge',
    ]);
    manager.daemon.docker(['swarm', 'init', '--advertise-addr', `${veth}.1:${SWARM_PORT}`, '--listen-addr', `${veth}.1:${SWARM_PORT}`, '--data-path-port', String(DATA_PATH_PORT)]);
    const token = manager.daemon.docker(['swarm', 'join-token', '-q', 'worker']);
    worker.daemon.docker(['swarm', 'join', '--token', token, '--advertise-addr', `${veth}.2`, '--listen-addr', `${veth}.2:${SWARM_PORT}`, `${veth}.1:${SWARM_PORT}`]);
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
