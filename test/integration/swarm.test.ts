/**
 * CIS section 7 against a real single-node swarm: an encrypted and a plain overlay network, a
 * service publishing through the routing mesh, one carrying a password in its environment and
 * one using a Docker secret. The real CLI audits the daemon and the tests assert rule id,
 * status and subject of each finding.
 *
 * The daemon is shared with the main scenario: everything created here is named and labelled
 * `da-it-swarm-*` and removed afterwards; the swarm itself is left only when this file created it.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, sleep } from '../../scripts/testbed/docker.mjs';
import { IMAGES, runCli, type CliResult, type ReportFinding, type ReportJson } from './scenario.js';

const PREFIX = 'da-it-swarm-';
const LABEL = 'da-it-swarm=1';
const NET = { encrypted: `${PREFIX}encrypted`, plain: `${PREFIX}plain` };
const SECRET = `${PREFIX}db-password`;
const SERVICE = { web: `${PREFIX}web`, env: `${PREFIX}env`, secret: `${PREFIX}secret` };
/** Published through the routing mesh; clear of the scenario's ports. */
const WEB_PORT = 18090;
/** The password the env service carries; it must never show up in a report. */
const PASSWORD = `da-${randomBytes(12).toString('hex')}`;

let createdSwarm = false;
let report: ReportJson;
let snapshotRun: CliResult;

async function swarmState(): Promise<{ state: string; manager: boolean }> {
  const [state, manager] = (await docker(['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'])).split(' ');
  return { state: state ?? '', manager: manager === 'true' };
}

/** Builds the scratch busybox image the way global setup does, when it is not there yet. */
async function ensureBusybox(): Promise<void> {
  try {
    await docker(['image', 'inspect', IMAGES.busybox]);
    return;
  } catch {
    // Not built yet: build it below.
  }
  const context = mkdtempSync(join(tmpdir(), 'dockaudit-swarm-image-'));
  try {
    copyFileSync('/usr/bin/busybox', join(context, 'busybox'));
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["sh"]\n');
    await docker(['build', '-q', '-t', IMAGES.busybox, context], { env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 300_000 });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

async function names(kind: 'service' | 'network' | 'secret'): Promise<string[]> {
  const out = await docker([kind, 'ls', '--format', '{{.Name}}']);
  return out.split('\n').filter((name) => name.startsWith(PREFIX));
}

/** Removes what this file creates, in dependency order; networks wait for their tasks to go. */
async function removeOurs(): Promise<void> {
  const services = await names('service');
  if (services.length > 0) await docker(['service', 'rm', ...services]);
  for (const network of await names('network')) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await docker(['network', 'rm', network]);
        break;
      } catch (error) {
        if (attempt >= 40) throw error;
        await sleep(250);
      }
    }
  }
  const secrets = await names('secret');
  if (secrets.length > 0) await docker(['secret', 'rm', ...secrets]);
}

async function removeTaskContainers(): Promise<void> {
  const ids = (await docker(['ps', '-aq', '--filter', `label=${LABEL}`])).split('\n').filter(Boolean);
  if (ids.length > 0) await docker(['rm', '-f', ...ids]);
}

function createService(name: string, options: string[]): Promise<string> {
  return docker([
    'service', 'create', '--detach', '--no-resolve-image', '--name', name,
    '--label', LABEL, '--container-label', LABEL, '--stop-grace-period', '1s',
    ...options, IMAGES.busybox, 'sleep', '3600',
  ]);
}

beforeAll(async () => {
  await ensureBusybox();
  const before = await swarmState();
  if (before.state === 'inactive') {
    await docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    createdSwarm = true;
  } else if (!before.manager) {
    throw new Error(`this daemon is in swarm state ${before.state} and not a manager: the swarm tests need a manager (or no swarm at all)`);
  } else {
    await removeOurs();
  }
  await docker(['network', 'create', '--driver', 'overlay', '--opt', 'encrypted', '--label', LABEL, NET.encrypted]);
  await docker(['network', 'create', '--driver', 'overlay', '--label', LABEL, NET.plain]);
  await docker(['secret', 'create', '--label', LABEL, SECRET, '-'], { input: 's3cret-from-a-file' });
  await Promise.all([
    createService(SERVICE.web, ['--publish', `published=${WEB_PORT},target=80,mode=ingress`, '--network', NET.plain]),
    createService(SERVICE.env, ['--env', `DB_PASSWORD=${PASSWORD}`, '--network', NET.encrypted]),
    createService(SERVICE.secret, ['--secret', SECRET, '--env', `DB_PASSWORD_FILE=/run/secrets/${SECRET}`, '--network', NET.encrypted]),
  ]);
  // The audit and a snapshot of the same state, side by side to keep the file quick.
  const [audit, snapshot] = await Promise.all([runCli(['--format', 'json']), runCli(['snapshot', '--output', '-'])]);
  expect(audit.stdout, audit.stderr).not.toBe('');
  report = JSON.parse(audit.stdout) as ReportJson;
  snapshotRun = snapshot;
}, 120_000);

afterAll(async () => {
  if (createdSwarm) await docker(['swarm', 'leave', '--force']);
  else await removeOurs();
  await removeTaskContainers();
}, 60_000);

function find(ruleId: string, name: string): ReportFinding[] {
  return report.findings.filter((finding) => finding.ruleId === ruleId && finding.subject.name === name);
}

function one(ruleId: string, name: string): ReportFinding {
  const found = find(ruleId, name);
  expect(found, `${ruleId} on ${name}: ${JSON.stringify(found)}`).toHaveLength(1);
  return found[0]!;
}

function serviceId(name: string): string {
  return execFileSync('docker', ['service', 'inspect', '--format', '{{.ID}}', name], { encoding: 'utf8' }).trim();
}

function networkId(name: string): string {
  return execFileSync('docker', ['network', 'inspect', '--format', '{{.Id}}', name], { encoding: 'utf8' }).trim();
}

describe('swarm rules on a real single-node swarm', () => {
  it('runs every swarm rule without an error and without skipping', () => {
    const swarmFindings = report.findings.filter((finding) => finding.ruleId.startsWith('DA7'));
    for (const id of ['DA701', 'DA702', 'DA703', 'DA704', 'DA705', 'DA706', 'DA707', 'DA708', 'DA709']) {
      expect(swarmFindings.some((finding) => finding.ruleId === id), id).toBe(true);
    }
    expect(swarmFindings.filter((finding) => finding.status === 'error' || finding.status === 'skipped')).toEqual([]);
  });

  it('DA703: passes the encrypted overlay network and fails the plain one, by network', () => {
    expect(one('DA703', NET.encrypted)).toMatchObject({
      status: 'pass',
      messageId: 'encrypted',
      subject: { kind: 'network', id: networkId(NET.encrypted), name: NET.encrypted },
    });
    expect(one('DA703', NET.plain)).toMatchObject({
      status: 'fail',
      messageId: 'plain',
      references: { cis: ['7.3'], checklist: ['ONET-1'] },
      subject: { kind: 'network', id: networkId(NET.plain), name: NET.plain },
    });
    // Docker creates the ingress network plain; an advisory, see docs/rules/DA703.md.
    if (createdSwarm) expect(one('DA703', 'ingress')).toMatchObject({ status: 'warn', messageId: 'ingressPlain', subject: { kind: 'network' } });
  });

  it('DA702: fails the service publishing in ingress mode, passes the others', () => {
    const web = one('DA702', SERVICE.web);
    expect(web).toMatchObject({ status: 'fail', messageId: 'ingress', subject: { kind: 'service', id: serviceId(SERVICE.web), name: SERVICE.web } });
    expect(web.message).toContain(`${WEB_PORT}->80/tcp`);
    expect(one('DA702', SERVICE.secret)).toMatchObject({ status: 'pass', messageId: 'noPorts', subject: { kind: 'service' } });
    expect(one('DA702', 'swarm')).toMatchObject({ status: 'manual', messageId: 'managementListen', subject: { kind: 'swarm', name: 'swarm' } });
  });

  it('DA704: fails the password in the environment without printing it, passes the Docker secret', () => {
    const env = one('DA704', SERVICE.env);
    expect(env).toMatchObject({ status: 'fail', messageId: 'inEnvironment', subject: { kind: 'service', id: serviceId(SERVICE.env), name: SERVICE.env } });
    expect(env.message).toContain('DB_PASSWORD');
    const secret = one('DA704', SERVICE.secret);
    expect(secret).toMatchObject({ status: 'pass', messageId: 'usesSecrets', subject: { kind: 'service', name: SERVICE.secret } });
    expect(secret.message).toContain(SECRET);
    expect(JSON.stringify(report)).not.toContain(PASSWORD);
  });

  it('reports the cluster controls on the swarm subject', () => {
    const subject = { kind: 'swarm', name: 'swarm' };
    for (const [ruleId, status, messageId] of [
      ['DA708', 'manual', 'facts'],
      ['DA709', 'manual', 'facts'],
    ] as const) {
      expect(one(ruleId, 'swarm'), ruleId).toMatchObject({ status, messageId, subject });
    }
    if (!createdSwarm) return;
    // A fresh `docker swarm init`: one manager, no auto-lock, 90-day node certificates.
    for (const [ruleId, status, messageId] of [
      ['DA701', 'pass', 'single'],
      ['DA705', 'fail', 'unlocked'],
      ['DA706', 'info', 'noAutolock'],
      ['DA707', 'pass', 'withinPolicy'],
    ] as const) {
      expect(one(ruleId, 'swarm'), ruleId).toMatchObject({ status, messageId, subject });
    }
    expect(one('DA709', 'swarm').message).toContain('127.0.0.1:2377');
  });

  it('applies the container rules to the services under their own ids', () => {
    const web = { kind: 'service', id: serviceId(SERVICE.web), name: SERVICE.web };
    expect(one('DA505', SERVICE.web)).toMatchObject({ status: 'pass', messageId: 'notPrivileged', subject: web });
    expect(one('DA514', SERVICE.web)).toMatchObject({ status: 'fail', messageId: 'allInterfaces', subject: web });
    expect(one('DA511', SERVICE.web)).toMatchObject({ status: 'fail', messageId: 'unlimited', subject: web });
    expect(one('DA515', SERVICE.web)).toMatchObject({ status: 'fail', messageId: 'unbounded', subject: web });
    expect(one('DA510', SERVICE.web)).toMatchObject({ status: 'pass', messageId: 'notHost', subject: web });
  });

  it('keeps the join tokens out of a snapshot', () => {
    expect(snapshotRun.code, snapshotRun.stderr).toBe(0);
    expect(snapshotRun.stdout).toContain(SERVICE.web);
    expect(snapshotRun.stdout).not.toContain('SWMTKN-');
  });
});
