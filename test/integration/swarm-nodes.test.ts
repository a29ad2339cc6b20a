/**
 * `audit --swarm` on a real two-node Swarm of its own (swarm-pair.ts): a manager dockerd and a
 * worker dockerd in a network namespace, each holding the dockaudit image built by
 * scripts/image.mjs. The built CLI audits the swarm through the manager; the job runs the image
 * on both nodes and the report has a target per node and the cluster's checks once.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli, scratchDir, type ReportFinding } from './scenario.js';
import { startPair, type SwarmPair } from './swarm-pair.js';

interface TargetEntry {
  address: string;
  name?: string;
  version?: string;
  reachable: boolean;
  reason?: string;
  node?: { id: string; hostname: string; role: string; engineVersion?: string };
  cluster?: string;
  label?: string;
}

interface SwarmReport {
  targets: TargetEntry[];
  findings: (ReportFinding & { target?: string; family: string })[];
  incomplete?: string[];
}

let pair!: SwarmPair;

beforeAll(async () => {
  pair = await startPair();
}, 300_000);

afterAll(async () => {
  await pair?.stop();
}, 120_000);

async function swarmAudit(address: string, args: string[] = []): Promise<{ code: number | null; stderr: string; report?: SwarmReport }> {
  const output = join(scratchDir(), 'report.json');
  const result = await runCli(['audit', '--swarm', '-H', address, '--swarm-socket', pair.socketTemplate, '--format', 'json', '-o', output, ...args], { env: { DOCKER_HOST: '', DOCKER_CONTEXT: '' } });
  try {
    return { code: result.code, stderr: result.stderr, report: JSON.parse(readFileSync(output, 'utf8')) as SwarmReport };
  } catch {
    return { code: result.code, stderr: result.stderr };
  }
}

function targetOf(report: SwarmReport, nodeId: string): TargetEntry & { label: string } {
  const target = report.targets.find((entry) => entry.node?.id === nodeId);
  if (target?.label === undefined) throw new Error(`no labelled target for node ${nodeId}: ${JSON.stringify(report.targets)}`);
  return { ...target, label: target.label };
}

function only(report: SwarmReport, ruleId: string, target: string): ReportFinding & { target?: string } {
  const found = report.findings.filter((finding) => finding.ruleId === ruleId && finding.target === target);
  expect(found, `${ruleId} on ${target}`).toHaveLength(1);
  return found[0] as ReportFinding;
}

function services(): string[] {
  return pair.manager.docker(['service', 'ls', '--format', '{{.Name}}']).split('\n').filter(Boolean);
}

describe('audit --swarm on two nodes', () => {
  it('audits each node where it runs, and the cluster once', async () => {
    const { code, stderr, report } = await swarmAudit(pair.manager.address, ['--swarm-timeout', '120s']);
    expect(report, stderr).toBeDefined();
    const swarmReport = report as SwarmReport;
    // Findings fail on both nodes; every node answered, so the audit is complete.
    expect(swarmReport.incomplete, stderr).toBeUndefined();
    expect(code, stderr).toBe(1);
    const manager = targetOf(swarmReport, pair.manager.nodeId);
    const worker = targetOf(swarmReport, pair.worker.nodeId);
    expect(manager).toMatchObject({ reachable: true, node: { role: 'manager' }, version: expect.any(String) });
    expect(worker).toMatchObject({ reachable: true, node: { role: 'worker' }, version: expect.any(String) });
    const cluster = swarmReport.targets.find((target) => target.cluster !== undefined);
    expect(cluster).toMatchObject({ reachable: true, address: pair.manager.address });
    expect(swarmReport.targets).toHaveLength(3);

    // Each node's daemon configuration was read from its own host: the worker's daemon.json
    // (--config-file) turns inter-container communication off and logs at debug.
    expect(only(swarmReport, 'DA202', manager.label)).toMatchObject({ status: 'fail', messageId: 'bridgeOpen' });
    expect(only(swarmReport, 'DA202', worker.label)).toMatchObject({ status: 'pass', messageId: 'bridgeRestricted' });
    expect(only(swarmReport, 'DA203', manager.label)).toMatchObject({ status: 'pass' });
    expect(only(swarmReport, 'DA203', worker.label)).toMatchObject({ status: 'fail', messageId: 'other' });
    // Host-level checks ran on both nodes, under each node's own root.
    for (const label of [manager.label, worker.label]) {
      expect(swarmReport.findings.some((finding) => finding.target === label && finding.family === 'host' && finding.status !== 'skipped')).toBe(true);
    }

    // The cluster's checks (CIS 7) once, on the cluster's target, none on the nodes.
    const swarmFindings = swarmReport.findings.filter((finding) => finding.family === 'swarm');
    expect(swarmFindings.length).toBeGreaterThan(0);
    expect(new Set(swarmFindings.map((finding) => finding.target))).toEqual(new Set([cluster?.label]));
    const keys = swarmFindings.map((finding) => `${finding.ruleId} ${finding.subject.kind} ${finding.subject.name ?? ''} ${finding.messageId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(swarmFindings.find((finding) => finding.ruleId === 'DA701')).toBeDefined();

    // The job's own task containers are not among what was audited, and the job is gone.
    expect(swarmReport.findings.filter((finding) => finding.subject.name?.startsWith('dockaudit-audit-')).map((f) => [f.ruleId, f.subject, f.target, f.message])).toEqual([]);
    expect(services()).toEqual([]);
  });

  it('refuses a daemon that is not a manager, in one line', async () => {
    const { code, stderr } = await swarmAudit(pair.worker.address);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`dockaudit: --swarm needs a Swarm manager: the daemon at ${pair.worker.address} is a worker node; run it against a manager`);
  });

  it('reports a node without the image as not audited, with the reason, and the other in full', async () => {
    const image = 'dockaudit-only-on-manager:1';
    pair.manager.docker(['tag', pair.image, image]);
    try {
      const { code, stderr, report } = await swarmAudit(pair.manager.address, ['--swarm-image', image, '--swarm-timeout', '90s']);
      expect(code, stderr).toBe(2);
      const swarmReport = report as SwarmReport;
      const worker = targetOf(swarmReport, pair.worker.nodeId);
      expect(worker.reachable).toBe(false);
      expect(worker.reason).toContain(`the image ${image} is not on this node`);
      const workerFindings = swarmReport.findings.filter((finding) => finding.target === worker.label);
      expect(workerFindings.length).toBeGreaterThan(0);
      expect(workerFindings.every((finding) => finding.status === 'skipped')).toBe(true);
      const manager = targetOf(swarmReport, pair.manager.nodeId);
      expect(manager.reachable).toBe(true);
      expect(only(swarmReport, 'DA202', manager.label).status).toBe('fail');
      expect(swarmReport.incomplete?.some((line) => line.includes(worker.label) && line.includes('not on this node'))).toBe(true);
      expect(stderr).toContain('not on this node');
      expect(services()).toEqual([]);
    } finally {
      pair.manager.docker(['rmi', image]);
    }
  });

  it('reports a node that does not answer within --swarm-timeout as unreachable', async () => {
    // The worker's daemon stops answering: its task never reports.
    process.kill(pair.worker.pid(), 'SIGSTOP');
    let result: Awaited<ReturnType<typeof swarmAudit>>;
    try {
      result = await swarmAudit(pair.manager.address, ['--swarm-timeout', '15s']);
    } finally {
      process.kill(pair.worker.pid(), 'SIGCONT');
    }
    const { code, stderr, report } = result;
    expect(code, stderr).toBe(2);
    const swarmReport = report as SwarmReport;
    const worker = targetOf(swarmReport, pair.worker.nodeId);
    expect(worker.reachable).toBe(false);
    expect(worker.reason).toMatch(/did not answer within 15 s|no audit task started|the node is (down|unknown|disconnected)|could not be read/);
    expect(targetOf(swarmReport, pair.manager.nodeId).reachable).toBe(true);
    expect(services()).toEqual([]);
  });

  it('removes the job when interrupted (SIGINT) while the nodes are still auditing', async () => {
    // A worker that does not answer keeps the job running until the signal.
    process.kill(pair.worker.pid(), 'SIGSTOP');
    try {
      const child = spawn(process.execPath, [CLI, 'audit', '--swarm', '-H', pair.manager.address, '--swarm-socket', pair.socketTemplate, '--swarm-timeout', '120s', '--format', 'json', '-o', join(scratchDir(), 'r.json')], {
        env: { ...process.env, DOCKER_HOST: '', DOCKER_CONTEXT: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      for (let waited = 0; services().length === 0; waited += 250) {
        if (waited > 60_000) throw new Error(`the job never appeared: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      expect(stderr).toContain('SIGINT: removing what the command created');
      expect(services()).toEqual([]);
    } finally {
      process.kill(pair.worker.pid(), 'SIGCONT');
    }
  });
});
