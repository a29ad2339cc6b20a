/**
 * The processes of running containers, read both ways from the same real containers: one `top`
 * per container over the API (DOCKAUDIT_PROCESSES=api) and one pass over /proc
 * (DOCKAUDIT_PROCESSES=local, which reports any container it cannot read there). Both must give
 * the same processes and the same findings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, removeLabelled, sleep } from '../../scripts/testbed/docker.mjs';
import { C, IMAGES, SCENARIO, runCli, scratchDir, type ReportJson } from './scenario.js';

const LABEL = 'dockaudit.processes-test';
const PREFIX = 'dockaudit-processes-';

/** Containers of this file: names, options, command, and processes `docker exec` adds. */
const OWN = [
  { role: 'root', options: [], command: ['sleep', '86400'], exec: [] as string[][] },
  // Configured as uid 1000 with a child, plus a process docker exec starts as root: DA533 fails on it.
  { role: 'exec-root', options: ['--user', '1000'], command: ['sh', '-c', 'sleep 86400 & exec sleep 86401'], exec: [['-u', '0', 'sleep', '86402']] },
  // Everything as nobody and as a uid with no name on the host.
  { role: 'nobody', options: ['--user', '65534:65534'], command: ['sleep', '86400'], exec: [['-u', '123456', 'sleep', '86403']] },
];

const ownNames = OWN.map((entry) => `${PREFIX}${entry.role}`);

/** Scenario containers whose processes stay the same between two reads (no health checks, no restarts). */
const steadyScenario = SCENARIO.filter(
  (entry) => entry.start && entry.image !== IMAGES.hardened && !entry.options.includes('--health-cmd') && entry.name !== C.restartLoop.name,
).map((entry) => entry.name);

interface SnapshotJson {
  containers: { inspect: { Id: string; Name: string }; processes?: { user: string; pid: string; command: string }[] | { unavailable: true; reason: string } }[];
  problems: { scope: string; subject?: string; reason: string; unaudited?: boolean }[];
}

async function snapshotWith(mode: 'api' | 'local'): Promise<{ file: string; snapshot: SnapshotJson }> {
  const file = join(scratchDir(), `snapshot-${mode}.json`);
  const result = await runCli(['snapshot', '-o', file], { env: { DOCKAUDIT_PROCESSES: mode } });
  if (result.code !== 0) throw new Error(`dockaudit snapshot (${mode}) exited ${result.code}: ${result.stderr.trim()}`);
  return { file, snapshot: JSON.parse(readFileSync(file, 'utf8')) as SnapshotJson };
}

function processesByName(snapshot: SnapshotJson, names: string[]): Record<string, unknown> {
  return Object.fromEntries(
    snapshot.containers
      .filter((facts) => names.includes(facts.inspect.Name.replace(/^\//, '')))
      .map((facts) => [facts.inspect.Name.replace(/^\//, ''), Array.isArray(facts.processes) ? [...facts.processes].sort((a, b) => Number(a.pid) - Number(b.pid)) : facts.processes]),
  );
}

async function findingsOf(snapshotFile: string, names: string[]): Promise<string[]> {
  const result = await runCli(['audit', '--snapshot', snapshotFile, '--format', 'json']);
  const report = JSON.parse(result.stdout) as ReportJson;
  return report.findings
    .filter((finding) => finding.subject.name !== undefined && names.includes(finding.subject.name))
    .map((finding) => `${finding.subject.name} ${finding.ruleId} ${finding.status} ${finding.messageId} ${finding.message}`)
    .sort();
}

/** Ids of the running containers a snapshot holds, by name. */
function runningIds(snapshot: SnapshotJson): Map<string, string> {
  return new Map(snapshot.containers.filter((facts) => facts.processes !== undefined).map((facts) => [facts.inspect.Name.replace(/^\//, ''), facts.inspect.Id]));
}

/** This file's containers, and the steady scenario containers that ran, as the same containers, during both snapshots. */
function comparedNames(): string[] {
  const before = runningIds(api.snapshot);
  const after = runningIds(local.snapshot);
  return [...ownNames, ...steadyScenario.filter((name) => before.get(name) !== undefined && before.get(name) === after.get(name))];
}

let api: { file: string; snapshot: SnapshotJson };
let local: { file: string; snapshot: SnapshotJson };

beforeAll(async () => {
  await removeLabelled(LABEL, '1');
  for (const entry of OWN) {
    await docker(['run', '-d', '--name', `${PREFIX}${entry.role}`, '--label', `${LABEL}=1`, '--network', 'none', ...entry.options, IMAGES.busybox, ...entry.command]);
    for (const exec of entry.exec) await docker(['exec', '-d', ...exec.slice(0, -2), `${PREFIX}${entry.role}`, ...exec.slice(-2)]);
  }
  // `docker exec -d` returns before its process runs: wait until every container shows them all.
  const expected = { root: 1, 'exec-root': 3, nobody: 2 } as Record<string, number>;
  const deadline = Date.now() + 30_000;
  for (const entry of OWN) {
    while ((await docker(['top', `${PREFIX}${entry.role}`])).split('\n').length - 1 < (expected[entry.role] ?? 0)) {
      if (Date.now() > deadline) throw new Error(`${PREFIX}${entry.role} did not show its processes in time`);
      await sleep(100);
    }
  }
  api = await snapshotWith('api');
  local = await snapshotWith('local');
});

afterAll(async () => {
  await removeLabelled(LABEL, '1');
});

describe('processes of running containers, by top and from /proc', () => {
  it('reads every container of the daemon from /proc, leaving none unread', () => {
    expect(local.snapshot.problems.filter((problem) => problem.unaudited)).toEqual([]);
  });

  it('gives the same processes both ways: user, PID and command', () => {
    const names = comparedNames();
    const fromProc = processesByName(local.snapshot, names);
    expect(Object.keys(fromProc)).toEqual(expect.arrayContaining(ownNames));
    expect(fromProc).toEqual(processesByName(api.snapshot, names));
    expect(fromProc[`${PREFIX}nobody`]).toEqual([
      expect.objectContaining({ user: 'nobody', command: 'sleep 86400' }),
      expect.objectContaining({ user: '123456', command: 'sleep 86403' }),
    ]);
  });

  it('gives the same findings both ways', async () => {
    const names = comparedNames();
    const fromProc = await findingsOf(local.file, names);
    expect(fromProc.some((line) => line.startsWith(`${PREFIX}exec-root DA533 fail processesAsRoot`))).toBe(true);
    expect(fromProc).toEqual(await findingsOf(api.file, names));
  });
});
