/**
 * The guard's daemon facts against a stand-in daemon on a Unix socket: facts that can no longer be
 * read are not trusted for ever, and a read never outlives its deadline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { followDaemonFacts, readDaemonFacts } from '../../src/audit/guard-daemon.js';
import type { GuardPolicy } from '../../src/guard/decide.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Daemon {
  host: string;
  /** From now on, /info is answered never (the connection stays open). */
  hang(): void;
}

async function daemon(): Promise<Daemon> {
  const directory = mkdtempSync(join(tmpdir(), 'guard-facts-'));
  const socket = join(directory, 'docker.sock');
  let hanging = false;
  const server: Server = createServer((request, response) => {
    if (hanging) return;
    const path = new URL(request.url ?? '/', 'http://docker').pathname;
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(path.endsWith('/version') ? { Version: '24.0.7', ApiVersion: '1.43' } : { Name: 'stand-in', SecurityOptions: ['name=seccomp,profile=default', 'name=no-new-privileges'] }));
  });
  await new Promise<void>((resolve) => server.listen(socket, () => resolve()));
  cleanups.push(() => {
    server.closeAllConnections();
    rmSync(directory, { recursive: true, force: true });
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { host: `unix://${socket}`, hang: () => void (hanging = true) };
}

const until = async (condition: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe("the guard's daemon facts", () => {
  it('are forgotten once they are older than their allowed age and cannot be read again: what needs them refuses again', async () => {
    const stand = await daemon();
    const policy = { daemon: undefined } as unknown as GuardPolicy;
    const notices: string[] = [];
    const follower = followDaemonFacts(policy, { host: stand.host, env: {}, refreshMs: 200, timeoutMs: 1_000, maxAgeMs: 600, onNotice: (message) => notices.push(message) });
    cleanups.push(() => follower.stop());
    await follower.first;
    expect(policy.daemon?.info['Name']).toBe('stand-in');
    stand.hang();
    await until(() => policy.daemon === undefined, 5_000);
    expect(notices.some((notice) => /no longer trusted/.test(notice))).toBe(true);
  });

  it('read with a deadline for the whole read', async () => {
    const stand = await daemon();
    stand.hang();
    const started = Date.now();
    await expect(readDaemonFacts({ host: stand.host, env: {}, timeoutMs: 300 })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
