/**
 * The one-pass /proc reader of container processes, against fake /proc trees: which processes
 * belong to which container (cgroup v1 and v2 layouts, nested cgroups), what each entry shows,
 * and every case it must leave to the API instead of answering (not visible, over a cap).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectDocker } from '../../src/collect/docker.js';
import { collectSnapshot } from '../../src/collect/index.js';
import { UsageError } from '../../src/errors.js';
import { EngineClient } from '../../src/collect/docker-api.js';
import { readContainerProcesses, readUsers, usersFromPasswd } from '../../src/collect/processes.js';
import type { ContainerFacts } from '../../src/snapshot/types.js';
import { containerId, startFaultDaemon, type FaultDaemon, type FaultDaemonOptions } from './fault-daemon.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

interface FakeProcess {
  cgroup: string;
  uid: number;
  argv: string[];
  name?: string;
  state?: string;
}

/** cgroup v1 with the cgroupfs driver: every controller names /docker/<id>. */
const v1 = (path: string): string => ['12:pids:' + path, '4:memory:' + path, '1:name=systemd:' + path, '0::/'].join('\n') + '\n';
/** cgroup v2 with the systemd driver. */
const v2 = (path: string): string => `0::${path}\n`;

function fakeProc(processes: Record<number, FakeProcess>): string {
  const root = mkdtempSync(join(tmpdir(), 'da-procs-'));
  for (const [pid, process] of Object.entries(processes)) {
    const directory = join(root, pid);
    mkdirSync(directory);
    writeFileSync(join(directory, 'cgroup'), process.cgroup);
    writeFileSync(
      join(directory, 'status'),
      `Name:\t${process.name ?? process.argv[0] ?? 'x'}\nUmask:\t0022\nState:\t${process.state ?? 'S (sleeping)'}\nPid:\t${pid}\nPPid:\t1\nUid:\t${process.uid}\t${process.uid}\t${process.uid}\t${process.uid}\n`,
    );
    writeFileSync(join(directory, 'cmdline'), process.argv.length > 0 ? `${process.argv.join('\0')}\0` : '');
  }
  mkdirSync(join(root, 'self'));
  return root;
}

const users = new Map([
  [0, 'root'],
  [1000, 'app'],
]);

describe('readContainerProcesses', () => {
  it('lists each container the processes in its cgroup and below, in PID order, with user, PID and command as top shows them', async () => {
    const proc = fakeProc({
      1: { cgroup: v1('/'), uid: 0, argv: ['/sbin/init'] },
      300: { cgroup: v1(`/docker/${A}`), uid: 1000, argv: ['sleep', '86400'] },
      120: { cgroup: v1(`/docker/${A}`), uid: 1000, argv: ['sh', '-c', 'sleep 86400 & exec sleep 1'] },
      310: { cgroup: v1(`/docker/${A}/inner`), uid: 0, argv: ['worker', '--flag'] },
      311: { cgroup: v1(`/docker/${A}`), uid: 4242, argv: [], name: 'sh', state: 'Z (zombie)' },
      200: { cgroup: v1(`/docker/${B}`), uid: 0, argv: ['sleep', 'infinity'] },
      400: { cgroup: v1('/system.slice/containerd.service'), uid: 0, argv: ['containerd-shim-runc-v2', '-id', A] },
    });
    const found = await readContainerProcesses(
      [
        { id: A, pid: 120 },
        { id: B, pid: 200 },
      ],
      { procRoots: [proc], users },
    );
    expect(Object.fromEntries(found)).toEqual({
      [A]: [
        { user: 'app', pid: '120', command: 'sh -c sleep 86400 & exec sleep 1' },
        { user: 'app', pid: '300', command: 'sleep 86400' },
        { user: 'root', pid: '310', command: 'worker --flag' },
        { user: '4242', pid: '311', command: '[sh] <defunct>' },
      ],
      [B]: [{ user: 'root', pid: '200', command: 'sleep infinity' }],
    });
  });

  it('finds containers under cgroup v2 and the systemd driver, nested containers in both', async () => {
    const proc = fakeProc({
      50: { cgroup: v2(`/system.slice/docker-${A}.scope`), uid: 0, argv: ['sleep', '1'] },
      60: { cgroup: v2(`/system.slice/docker-${A}.scope/docker-${B}.scope`), uid: 1000, argv: ['sleep', '2'] },
    });
    const found = await readContainerProcesses(
      [
        { id: A, pid: 50 },
        { id: B, pid: 60 },
      ],
      { procRoots: [proc], users },
    );
    expect(found.get(A)?.map((entry) => entry.pid)).toEqual(['50', '60']);
    expect(found.get(B)?.map((entry) => entry.pid)).toEqual(['60']);
  });

  it('leaves out a container whose PID is not visible or whose cgroup does not name it, and uses the first /proc root that shows one', async () => {
    const proc = fakeProc({
      100: { cgroup: v1(`/docker/${A}`), uid: 0, argv: ['sleep', '1'] },
      // PID 200 here is some other process, not container B's init.
      200: { cgroup: v1('/user.slice'), uid: 0, argv: ['bash'] },
    });
    const found = await readContainerProcesses(
      [
        { id: A, pid: 100 },
        { id: B, pid: 200 },
        { id: C, pid: 999 },
        { id: 'd'.repeat(64), pid: 0 },
      ],
      { procRoots: [join(proc, 'missing'), proc], users },
    );
    expect([...found.keys()]).toEqual([A]);
  });

  it('leaves out a container with more processes than the cap, and cuts a long command line with a mark', async () => {
    const long = 'x'.repeat(100);
    const proc = fakeProc({
      10: { cgroup: v1(`/docker/${A}`), uid: 0, argv: ['a'] },
      11: { cgroup: v1(`/docker/${A}`), uid: 0, argv: ['b'] },
      12: { cgroup: v1(`/docker/${A}`), uid: 0, argv: ['c'] },
      20: { cgroup: v1(`/docker/${B}`), uid: 0, argv: ['run', long] },
    });
    const found = await readContainerProcesses(
      [
        { id: A, pid: 10 },
        { id: B, pid: 20 },
      ],
      { procRoots: [proc], users, limits: { perContainer: 2, commandLineBytes: 20 } },
    );
    expect(found.has(A)).toBe(false);
    expect(found.get(B)).toEqual([{ user: 'root', pid: '20', command: `run ${'x'.repeat(16)}…` }]);
  });

  it('answers nothing when /proc holds more entries than the cap', async () => {
    const proc = fakeProc({
      10: { cgroup: v1(`/docker/${A}`), uid: 0, argv: ['a'] },
      11: { cgroup: v1('/'), uid: 0, argv: ['b'] },
    });
    const found = await readContainerProcesses([{ id: A, pid: 10 }], { procRoots: [proc], users, limits: { hostProcesses: 1 } });
    expect(found.size).toBe(0);
  });

  it('stops with the deadline reason once the deadline has passed', async () => {
    const proc = fakeProc({ 10: { cgroup: v1(`/docker/${A}`), uid: 0, argv: ['a'] } });
    const deadline = new AbortController();
    deadline.abort(new Error('the collection did not finish within 1 s'));
    await expect(readContainerProcesses([{ id: A, pid: 10 }], { procRoots: [proc], users, deadline: deadline.signal })).rejects.toThrow(
      'the collection did not finish within 1 s',
    );
  });

  it('takes time linear in the number of host processes', async () => {
    const build = (count: number): string => {
      const processes: Record<number, FakeProcess> = {};
      for (let pid = 1; pid <= count; pid += 1) processes[pid] = { cgroup: v1(pid % 2 === 0 ? `/docker/${A}` : '/'), uid: 0, argv: ['p', String(pid)] };
      return fakeProc(processes);
    };
    const time = async (proc: string): Promise<number> => {
      let best = Infinity;
      for (let run = 0; run < 3; run += 1) {
        const start = performance.now();
        await readContainerProcesses([{ id: A, pid: 2 }], { procRoots: [proc], users });
        best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    const small = build(250);
    const large = build(1000);
    await time(small);
    expect(await time(large)).toBeLessThan((await time(small)) * 8 + 20);
  }, 60_000);
});

describe('user names', () => {
  it('maps uids to the first name /etc/passwd gives them', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/sh\n# comment\nbroken line\napp:x:1000:1000::/home/app:/bin/sh\ntoor:x:0:0::/:/bin/sh\n';
    expect([...usersFromPasswd(passwd)]).toEqual([
      [0, 'root'],
      [1000, 'app'],
    ]);
  });

  it('reads the passwd under the host root, and gives no names when it is not a regular file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'da-root-'));
    mkdirSync(join(root, 'etc'));
    writeFileSync(join(root, 'etc/passwd'), 'svc:x:123:123::/:/bin/false\n');
    expect([...(await readUsers(root))]).toEqual([[123, 'svc']]);
    const other = mkdtempSync(join(tmpdir(), 'da-root-'));
    mkdirSync(join(other, 'etc/passwd'), { recursive: true });
    expect((await readUsers(other)).size).toBe(0);
  });
});

describe('collectDocker with a local process reader', () => {
  let daemon: FaultDaemon | undefined;
  afterEach(async () => {
    await daemon?.close();
    daemon = undefined;
  });

  const topOf = (index: number): string => `/containers/${containerId(index)}/top`;

  async function collect(apiFallback: boolean, fault?: FaultDaemonOptions['fault']) {
    daemon = await startFaultDaemon({ containers: 3, running: 2, ...(fault ? { fault } : {}) });
    const asked: { id: string; pid: number }[] = [];
    const collection = await collectDocker(new EngineClient({ socketPath: daemon.socketPath, timeout: 2_000 }), daemon.address, {
      concurrency: 4,
      apiFallback,
      localProcesses: async (containers) => {
        asked.push(...containers);
        return new Map([[containerId(0), [{ user: 'root', pid: '100', command: 'from proc' }]]]);
      },
    });
    const processesOf = (index: number) => (collection.containers as ContainerFacts[]).find((facts) => facts.inspect['Id'] === containerId(index))?.processes;
    return { collection, asked, processesOf };
  }

  it('asks the reader for the running containers with their PIDs and lists the ones it left out with top', async () => {
    const { collection, asked, processesOf } = await collect(true);
    expect(asked.sort((a, b) => a.pid - b.pid)).toEqual([
      { id: containerId(0), pid: 100 },
      { id: containerId(1), pid: 101 },
    ]);
    expect(processesOf(0)).toEqual([{ user: 'root', pid: '100', command: 'from proc' }]);
    expect(processesOf(1)).toEqual([{ user: 'root', pid: '101', command: 'sleep 1000' }]);
    expect(processesOf(2)).toBeUndefined();
    expect(daemon?.requests).not.toContain(topOf(0));
    expect(daemon?.requests).toContain(topOf(1));
    expect(collection.problems).toEqual([]);
  });

  it('reports a container the reader left out as unaudited when the API may not be asked', async () => {
    const { collection, processesOf } = await collect(false);
    expect(processesOf(1)).toEqual({ unavailable: true, reason: 'could not list processes: its processes are not visible in /proc here' });
    expect(collection.problems).toEqual([
      { scope: 'container', subject: 'fault-1', reason: 'processes not listed: its processes are not visible in /proc here', unaudited: true },
    ]);
    expect(daemon?.requests).not.toContain(topOf(1));
  });

  it('notes a container the reader left out that stopped since its inspect, as top would', async () => {
    let inspections = 0;
    const { collection, processesOf } = await collect(false, (path) =>
      path === `/containers/${containerId(1)}/json` && ++inspections > 1 ? { status: 404, message: 'No such container' } : undefined,
    );
    expect(processesOf(1)).toEqual({ unavailable: true, reason: 'could not list processes: stopped while the audit ran' });
    expect(collection.problems).toEqual([{ scope: 'container', subject: 'fault-1', reason: 'stopped while the audit ran' }]);
  });

  it('notes a restarting container (running, with no process) the reader left out, as top would', async () => {
    daemon = await startFaultDaemon({
      containers: 2,
      running: 2,
      inspect: (index, document) => (index === 1 ? { ...document, State: { Running: true, Restarting: true, Status: 'restarting', Pid: 0 } } : document),
    });
    const client = new EngineClient({ socketPath: daemon.socketPath, timeout: 2_000 });
    const collection = await collectDocker(client, daemon.address, { concurrency: 4, apiFallback: false, localProcesses: async () => new Map() });
    // fault-0 still runs as PID 100, which the reader did not vouch for: unread.
    expect(collection.problems).toEqual([
      { scope: 'container', subject: 'fault-0', reason: 'processes not listed: its processes are not visible in /proc here', unaudited: true },
      { scope: 'container', subject: 'fault-1', reason: 'stopped while the audit ran' },
    ]);
  });

  it('refuses a DOCKAUDIT_PROCESSES it does not know, before asking the daemon anything', async () => {
    daemon = await startFaultDaemon();
    await expect(collectSnapshot({ host: daemon.address, env: { DOCKAUDIT_PROCESSES: 'ps' } })).rejects.toThrow(UsageError);
    expect(daemon.requests).toEqual([]);
  });
});
