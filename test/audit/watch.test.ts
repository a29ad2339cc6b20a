/**
 * `watch` against a stand-in daemon: the first audit, container events judged alone, a
 * container removed, and a daemon restart (the stream cut, requests refused, containers changed
 * meanwhile): after reconnecting, only the difference is told, nothing lost and nothing twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watch, type Config, type Status, type WatchChange, type WatchHandle } from '../../src/audit/index.js';
import { configSchema } from '../../src/engine/config.js';
import { IMAGE_ID, idOf, startEventDaemon, type EventDaemon } from './event-daemon.js';

let daemon: EventDaemon;
let handle: WatchHandle | undefined;
let hostRoot: string;
let changes: WatchChange[];
let notices: string[];

beforeEach(async () => {
  daemon = await startEventDaemon();
  hostRoot = mkdtempSync(join(tmpdir(), 'da-watch-root-'));
  changes = [];
  notices = [];
});

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
  await daemon.close();
  rmSync(hostRoot, { recursive: true, force: true });
});

function start(extra: { heartbeatMs?: number; statuses?: Status[]; config?: Config } = {}): WatchHandle {
  handle = watch({
    ...(extra.config ? { config: extra.config } : {}),
    host: daemon.address,
    hostRoot,
    env: {},
    statuses: extra.statuses ?? ['fail'],
    backoffInitialMs: 20,
    backoffMaxMs: 100,
    heartbeatMs: extra.heartbeatMs ?? 0,
    onChange: (change) => changes.push(change),
    onNotice: (message) => notices.push(message),
  });
  return handle;
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}; changes: ${JSON.stringify(summary())}; notices: ${notices.join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The changes as `event ruleId name trigger`, for the rule given. */
function summary(ruleId = 'DA505'): string[] {
  return changes.filter((change) => change.finding.ruleId === ruleId).map((change) => `${change.event} ${change.finding.ruleId} ${change.finding.subject.name} ${change.trigger.type}:${change.trigger.action}`);
}

describe('watch', () => {
  it('follows only the rules and containers the config selects, at the first audit and on events', async () => {
    daemon.set({ name: 'web-priv', privileged: true });
    daemon.set({ name: 'db-priv', privileged: true });
    const watching = start({ config: configSchema.parse({ only: ['DA505', 'DA513'], containers: ['web-*'] }), statuses: ['fail'] });
    await until(() => watching.stats().fullAudits === 1, 'the first audit');
    expect(summary()).toEqual(['new DA505 web-priv audit:start']);
    expect(new Set(changes.map((change) => change.finding.ruleId))).toEqual(new Set(['DA505', 'DA513']));
    daemon.set({ name: 'db-two', privileged: true });
    daemon.event('container', 'create', 'db-two');
    daemon.set({ name: 'web-two', privileged: true });
    daemon.event('container', 'create', 'web-two');
    await until(() => summary().length === 2, 'the second create');
    expect(summary()).toEqual(['new DA505 web-priv audit:start', 'new DA505 web-two container:create']);
    expect(changes.some((change) => change.finding.subject.name?.startsWith('db-'))).toBe(false);
  });

  it('tells the first audit, then a container created and destroyed, judged alone', async () => {
    daemon.set({ name: 'old-priv', privileged: true });
    daemon.set({ name: 'plain', privileged: false });
    const watching = start();
    await until(() => watching.stats().fullAudits === 1, 'the first audit');
    expect(summary()).toEqual(['new DA505 old-priv audit:start']);

    const before = daemon.requests.length;
    daemon.set({ name: 'new-priv', privileged: true });
    daemon.event('container', 'create', 'new-priv');
    await until(() => summary().length === 2, 'the create');
    expect(summary()[1]).toBe('new DA505 new-priv container:create');
    const created = changes.find((change) => change.finding.subject.name === 'new-priv' && change.finding.ruleId === 'DA505') as WatchChange;
    expect(created.finding).toMatchObject({ status: 'fail', severity: 'critical', messageId: 'privileged', subject: { kind: 'container', id: idOf('new-priv') } });
    expect(created.trigger).toMatchObject({ type: 'container', action: 'create', id: idOf('new-priv') });
    // Only that container was read again: no list, no other container.
    // Its image, unknown to this daemon, is asked for too (404).
    expect(daemon.requests.slice(before).sort()).toEqual([`/containers/${idOf('new-priv')}/json`, `/images/${IMAGE_ID}/history`, `/images/${IMAGE_ID}/json`]);

    daemon.remove('new-priv');
    daemon.event('container', 'destroy', 'new-priv');
    await until(() => summary().length === 3, 'the destroy');
    expect(summary()[2]).toBe('resolved DA505 new-priv container:destroy');
    // Every finding of the destroyed container resolved, none left.
    expect(watching.findings().filter((finding) => finding.subject.name === 'new-priv')).toEqual([]);
  });

  it('reads an image pulled since the first audit, so a container created from it is judged as audit would', async () => {
    daemon.set({ name: 'before', privileged: true });
    const watching = start({ statuses: ['fail', 'warn', 'skipped'] });
    await until(() => watching.stats().fullAudits === 1, 'the first audit');
    daemon.addImage();
    daemon.set({ name: 'after', privileged: true });
    daemon.event('container', 'create', 'after');
    await until(() => summary().includes('new DA505 after container:create'), 'the create');
    expect(daemon.requests).toContain(`/images/${IMAGE_ID}/json`);
    // The image was not on the daemon at the first audit; it was when the second container came.
    const digest = changes.filter((change) => change.finding.ruleId === 'DA558').map((change) => `${change.finding.subject.name} ${change.finding.status} ${change.finding.messageId}`);
    expect(digest).toEqual(['before skipped imageUnknown', 'after warn noDigest']);
  });

  it('tells a change of message as changed, not as resolved and new', async () => {
    daemon.set({ name: 'priv', privileged: true });
    const watching = start();
    await until(() => watching.stats().fullAudits === 1, 'the first audit');
    daemon.set({ name: 'priv', privileged: true, running: true });
    daemon.event('container', 'start', 'priv');
    await until(() => summary().length === 2, 'the start');
    expect(summary()).toEqual(['new DA505 priv audit:start', 'changed DA505 priv container:start']);
    expect(changes.at(-1)?.finding.message).toContain('state: running');
  });

  it('survives a daemon restart: reconnects, audits again and tells only the difference', async () => {
    daemon.set({ name: 'stays-priv', privileged: true });
    daemon.set({ name: 'goes-away', privileged: true });
    daemon.set({ name: 'becomes-priv', privileged: false });
    const watching = start();
    await until(() => watching.stats().fullAudits === 1 && daemon.streams() === 1, 'the first audit');
    const baseline = summary();
    expect(baseline.sort()).toEqual(['new DA505 goes-away audit:start', 'new DA505 stays-priv audit:start']);
    const allBefore = changes.length;

    daemon.down();
    daemon.remove('goes-away');
    daemon.set({ name: 'becomes-priv', privileged: true });
    // Down long enough for several refused attempts: nothing is resolved for want of an answer.
    await until(() => notices.filter((notice) => notice.startsWith('reconnecting')).length >= 3, 'refused reconnections');
    expect(changes.length).toBe(allBefore);

    daemon.up();
    await until(() => watching.stats().fullAudits === 2, 'the audit after reconnecting');
    expect(summary().slice(baseline.length).sort()).toEqual(['new DA505 becomes-priv audit:reconnect', 'resolved DA505 goes-away audit:reconnect']);
    // Nothing about the container that did not change, for any rule.
    expect(changes.slice(allBefore).filter((change) => change.finding.subject.name === 'stays-priv')).toEqual([]);
    expect(watching.stats()).toMatchObject({ reconnects: 1, connected: true });
    expect(notices.some((notice) => notice.includes('event stream'))).toBe(true);

    // And events are followed on the new stream.
    daemon.remove('stays-priv');
    daemon.event('container', 'destroy', 'stays-priv');
    await until(() => summary().includes('resolved DA505 stays-priv container:destroy'), 'a destroy after reconnecting');
  });

  it('keeps the findings while the audit after reconnecting cannot read the containers, and tries again', async () => {
    daemon.set({ name: 'priv', privileged: true });
    const watching = start();
    await until(() => watching.stats().fullAudits === 1 && daemon.streams() === 1, 'the first audit');
    const allBefore = changes.length;
    daemon.down();
    daemon.remove('priv');
    // Back, but the container list fails: an audit that would say `skipped` everywhere is not trusted.
    daemon.failing('/containers/json', true);
    daemon.up();
    await until(() => notices.filter((notice) => notice.includes('tried again')).length >= 2, 'failed audits');
    expect(changes.length).toBe(allBefore);
    expect(watching.stats().fullAudits).toBe(1);
    daemon.failing('/containers/json', false);
    await until(() => watching.stats().fullAudits === 2, 'the audit that succeeds');
    expect(summary().slice(1)).toEqual(['resolved DA505 priv audit:retry']);
  });

  it('ends a stream whose daemon no longer answers pings, and reconnects', async () => {
    daemon.set({ name: 'priv', privileged: true });
    const watching = start({ heartbeatMs: 100 });
    await until(() => watching.stats().fullAudits === 1 && daemon.streams() === 1, 'the first audit');
    daemon.failing('/_ping', true);
    await until(() => notices.some((notice) => notice.includes('did not answer a ping')), 'the failed heartbeat');
    daemon.failing('/_ping', false);
    await until(() => watching.stats().fullAudits === 2 && watching.stats().reconnects >= 1, 'the reconnection');
    // The same findings: nothing told twice.
    expect(summary()).toEqual(['new DA505 priv audit:start']);
  });

  it('audits in full on a daemon reload, and tells what the reload changed', async () => {
    daemon.set({ name: 'priv', privileged: true });
    const watching = start();
    await until(() => watching.stats().fullAudits === 1, 'the first audit');
    // Changed without an event of its own: only the full audit of the reload sees it.
    daemon.set({ name: 'priv', privileged: false });
    daemon.event('daemon', 'reload', 'dockerd');
    await until(() => watching.stats().fullAudits === 2, 'the audit of the reload');
    expect(summary()).toEqual(['new DA505 priv audit:start', 'resolved DA505 priv audit:reload']);
  });

  it('uses next to no CPU while no event comes (no polling)', async () => {
    daemon.set({ name: 'priv', privileged: true });
    const watching = start();
    await until(() => watching.stats().fullAudits === 1 && daemon.streams() === 1, 'the first audit');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const requestsBefore = daemon.requests.length;
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const used = process.cpuUsage(before);
    // The daemon is not asked anything, and this process (the stand-in daemon included) stays idle.
    expect(daemon.requests.length).toBe(requestsBefore);
    expect((used.user + used.system) / 1000).toBeLessThan(100);
  });

  it('stops: the stream is closed and done resolves', async () => {
    const watching = start();
    await until(() => daemon.streams() === 1, 'the stream');
    await watching.stop();
    await expect(watching.done).resolves.toBeUndefined();
    await until(() => daemon.streams() === 0, 'the stream closed');
  });
});
