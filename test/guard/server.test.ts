import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/engine/config.js';
import type { DecisionRecord, GuardPolicy } from '../../src/guard/decide.js';
import { startGuardServer, type GuardServer } from '../../src/guard/server.js';
import { loadRules } from '../../src/rules/registry.js';

let directory: string;
let server: GuardServer;
const logged: DecisionRecord[] = [];

function post(path: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ socketPath: server.socket, method: 'POST', path, headers: { 'Content-Type': 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'da-guard-server-'));
  const policy: GuardPolicy = { mode: 'enforce', denyOn: 'high', config: configSchema.parse({}) as Config, rules: await loadRules(['container']) };
  server = await startGuardServer({ socket: join(directory, 'plugins', 'guard.sock'), policy, maxRequestBytes: 64 * 1024, requestTimeoutMs: 300, onDecision: (record) => logged.push(record) });
});

afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('the guard socket', () => {
  it('is a socket only its owner can use', () => {
    expect(statSync(server.socket).mode & 0o777).toBe(0o600);
  });

  it('answers Plugin.Activate with the authz interface', async () => {
    expect(await post('/Plugin.Activate', '')).toEqual({ status: 200, json: { Implements: ['authz'] } });
  });

  it('refuses a privileged create and allows every response', async () => {
    const body = Buffer.from(JSON.stringify({ Image: 'busybox', HostConfig: { Privileged: true } })).toString('base64');
    const answer = await post('/AuthZPlugin.AuthZReq', JSON.stringify({ RequestMethod: 'POST', RequestUri: '/v1.41/containers/create', RequestBody: body }));
    expect(answer.json['Allow']).toBe(false);
    expect(answer.json['Msg']).toContain('DA505');
    expect(logged.at(-1)?.verdict).toBe('refuse');
    expect((await post('/AuthZPlugin.AuthZRes', JSON.stringify({ RequestMethod: 'POST', RequestUri: '/v1.41/containers/create' }))).json['Allow']).toBe(true);
  });

  it('refuses an authorization request over the cap, and one that is not JSON', async () => {
    const large = await post('/AuthZPlugin.AuthZReq', JSON.stringify({ RequestMethod: 'GET', RequestUri: '/_ping', padding: 'x'.repeat(70 * 1024) }));
    expect(large.json).toMatchObject({ Allow: false });
    expect(large.json['Msg']).toContain('larger than 65536 bytes');
    const broken = await post('/AuthZPlugin.AuthZReq', '{"RequestMethod":');
    expect(broken.json['Msg']).toContain('not valid JSON');
  });

  it('refuses an authorization request that does not arrive within the deadline', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.socket);
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      // Declares 100 bytes and sends 10: the rest never comes.
      socket.write('POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{"Request');
    });
    expect(answer).toContain('"Allow":false');
    expect(answer).toContain('did not arrive within 300 ms');
  });

  it('will not replace a file that is not a socket', async () => {
    const path = join(directory, 'not-a-socket');
    writeFileSync(path, 'keep me');
    await expect(startGuardServer({ socket: path, policy: { mode: 'enforce', denyOn: 'high', config: configSchema.parse({}) as Config, rules: [] } })).rejects.toThrow(/not a socket/);
  });
});
