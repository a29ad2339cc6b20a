/**
 * The library's audit of several daemons, against stand-in daemons on unix sockets (no Docker):
 * targets share one bounded pool, a target that fails is reported while the others are audited,
 * and the dial-stdio transport speaks HTTP through a child process's stdin and stdout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/pipeline.js';
import { outcomeOf } from '../../src/audit/outcome.js';
import { CommandConnection } from '../../src/collect/dial-stdio.js';
import { EngineClient } from '../../src/collect/docker-api.js';
import { startFaultDaemon, type FaultDaemon } from '../collect/fault-daemon.js';

let daemons: FaultDaemon[] = [];

afterEach(async () => {
  await Promise.all(daemons.map((daemon) => daemon.close()));
  daemons = [];
});

/** A stand-in daemon that notes when each request arrived. */
async function timedDaemon(times: number[]): Promise<FaultDaemon> {
  const daemon = await startFaultDaemon({
    containers: 2,
    fault: () => {
      times.push(performance.now());
      return undefined;
    },
  });
  daemons.push(daemon);
  return daemon;
}

/** `node -e` standing in for `ssh … docker system dial-stdio`: stdin and stdout joined to a unix socket. */
const BRIDGE = "const s=require('net').connect(process.argv[1]);process.stdin.pipe(s);s.pipe(process.stdout);s.on('error',e=>{process.stderr.write('bridge: '+e.message+'\\n');process.exit(255)})";

describe('audit of several targets', () => {
  it('audits at most --target-concurrency targets at once', async () => {
    const times: number[][] = [[], [], []];
    const addresses = [];
    for (const list of times) addresses.push((await timedDaemon(list)).address);
    const report = await audit({ targets: addresses.map((host) => ({ host })), targetConcurrency: 1, hostRoot: '/nonexistent', worker: 'off', env: {} });
    expect(report.targets?.map((target) => target.reachable)).toEqual([true, true, true]);
    // One at a time: each daemon is asked nothing before the one before it has been read.
    for (let index = 1; index < times.length; index += 1) {
      expect(Math.min(...(times[index] as number[]))).toBeGreaterThanOrEqual(Math.max(...(times[index - 1] as number[])));
    }
  }, 60_000);

  it('audits two targets at once by default, and the same target named twice once', async () => {
    const times: number[][] = [[], []];
    const [a, b] = [await timedDaemon(times[0]!), await timedDaemon(times[1]!)];
    const report = await audit({ targets: [{ host: a.address }, { host: b.address }, { host: a.address }], hostRoot: '/nonexistent', worker: 'off', env: {} });
    expect(report.targets?.map((target) => target.address)).toEqual([a.address, b.address]);
    expect(Math.min(...times[1]!)).toBeLessThan(Math.max(...times[0]!));
  }, 60_000);

  it('reports a target whose transport fails as not audited, audits the others, and is incomplete', async () => {
    const good = await timedDaemon([]);
    const report = await audit({
      targets: [{ host: good.address }, { host: 'tcp://127.0.0.1:2376', env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent' } }],
      hostRoot: '/nonexistent',
      worker: 'off',
      env: {},
    });
    expect(report.targets?.[1]).toMatchObject({ reachable: false, reason: expect.stringContaining('no TLS files') });
    expect(report.findings.some((finding) => finding.target === good.address && finding.ruleId === 'DA505' && finding.status === 'fail')).toBe(true);
    expect(report.findings.filter((finding) => finding.target === 'tcp://127.0.0.1:2376').every((finding) => finding.status === 'skipped')).toBe(true);
    expect(outcomeOf(report, 'critical').kind).toBe('incomplete');
  });
});

describe('the dial-stdio transport', () => {
  it('speaks HTTP through a command, reuses its connections and ends them on close', async () => {
    const daemon = await startFaultDaemon({ containers: 3 });
    daemons.push(daemon);
    const opened: CommandConnection[] = [];
    const client = new EngineClient({
      connect: () => {
        const connection = new CommandConnection(process.execPath, ['-e', BRIDGE, daemon.socketPath]);
        opened.push(connection);
        return connection;
      },
      maxSockets: 2,
    });
    expect(await client.ping()).toBe('OK');
    const listed = await Promise.all([client.listContainers({ all: true }), client.info(), client.version(), client.listImages()]);
    expect(listed[0]).toHaveLength(3);
    expect(opened.length).toBeLessThanOrEqual(2);
    client.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(opened.every((connection) => connection.destroyed)).toBe(true);
  });

  it('fails with the last line the command wrote when it cannot connect', async () => {
    const client = new EngineClient({ connect: () => new CommandConnection(process.execPath, ['-e', BRIDGE, '/nonexistent/docker.sock']), requestTimeout: 5000 });
    await expect(client.ping()).rejects.toThrow(/exited with code 255: bridge: connect ENOENT \/nonexistent\/docker\.sock/);
    client.close();
  });

  it('ends a request to a command that never answers at the request deadline', async () => {
    const client = new EngineClient({ connect: () => new CommandConnection(process.execPath, ['-e', 'setInterval(() => {}, 1000)']), requestTimeout: 300 });
    await expect(client.ping()).rejects.toThrow('GET /_ping: no complete answer within 0.3 s');
    client.close();
  });
});
