import { beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/engine/config.js';
import { decideRequest, decideUnreadable, type GuardPolicy } from '../../src/guard/decide.js';
import { loadRules } from '../../src/rules/registry.js';
import type { AnyRule } from '../../src/rules/types.js';

let rules: AnyRule[];
beforeAll(async () => {
  rules = await loadRules(['container']);
});

function policy(overrides: Partial<GuardPolicy> = {}, config: unknown = {}): GuardPolicy {
  return { mode: 'enforce', denyOn: 'high', config: configSchema.parse(config) as Config, rules, now: () => new Date('2026-01-01T00:00:00Z'), ...overrides };
}

function authz(method: string, uri: string, body?: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const encoded = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)).toString('base64');
  return { User: 'alice', UserAuthNMethod: 'TLS', RequestMethod: method, RequestUri: uri, RequestHeaders: { 'Content-Type': 'application/json' }, ...(encoded !== undefined ? { RequestBody: encoded } : {}), ...extra };
}

/** What `docker create` sends for a container with every hardening option the rules ask for. */
const HARDENED = {
  Image: 'busybox:1.36',
  User: '1000:1000',
  Cmd: ['sleep', '60'],
  HostConfig: {
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges:true'],
    ReadonlyRootfs: true,
    Memory: 64 * 1024 * 1024,
    MemorySwap: 64 * 1024 * 1024,
    PidsLimit: 64,
    CpuShares: 512,
    NetworkMode: 'bridge',
    RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
  },
};

const PRIVILEGED = { ...HARDENED, HostConfig: { ...HARDENED.HostConfig, Privileged: true } };

describe('guard decision on container create', () => {
  it('refuses a privileged create and names DA505 in the message', () => {
    const decision = decideRequest(policy(), authz('POST', '/v1.41/containers/create?name=web', PRIVILEGED));
    expect(decision.answer.Allow).toBe(false);
    expect(decision.answer.Msg).toMatch(/^dockaudit guard: DA505 container runs privileged/);
    expect(decision.answer.Err).toBe('');
    expect(decision.record).toMatchObject({ verdict: 'refuse', kind: 'container-create', name: 'web', user: 'alice', path: '/v1.41/containers/create' });
    expect(decision.record?.rules).toContain('DA505');
  });

  it('admits a hardened create and logs it as allowed', () => {
    const decision = decideRequest(policy(), authz('POST', '/v1.41/containers/create?name=web', HARDENED));
    expect(decision.answer).toEqual({ Allow: true, Msg: '', Err: '' });
    expect(decision.record).toMatchObject({ verdict: 'allow', rules: [] });
  });

  it('dry-run admits a privileged create and records what it would refuse', () => {
    const decision = decideRequest(policy({ mode: 'dry-run' }), authz('POST', '/containers/create', PRIVILEGED));
    expect(decision.answer.Allow).toBe(true);
    expect(decision.record).toMatchObject({ verdict: 'would-refuse', mode: 'dry-run' });
    expect(decision.record?.rules).toContain('DA505');
  });

  it('refuses on host mounts of the Docker socket (DA532) and host namespaces (DA510, DA516)', () => {
    const body = { ...HARDENED, HostConfig: { ...HARDENED.HostConfig, Binds: ['/var/run/docker.sock:/var/run/docker.sock'], NetworkMode: 'host', PidMode: 'host' } };
    const decision = decideRequest(policy(), authz('POST', '/containers/create', body));
    expect(decision.record?.rules).toEqual(expect.arrayContaining(['DA532', 'DA510', 'DA516']));
  });

  it('--deny-on critical lets a high finding pass but not a critical one', () => {
    const hostNetwork = { ...HARDENED, HostConfig: { ...HARDENED.HostConfig, NetworkMode: 'host' } };
    expect(decideRequest(policy({ denyOn: 'critical' }), authz('POST', '/containers/create', hostNetwork)).answer.Allow).toBe(true);
    expect(decideRequest(policy({ denyOn: 'critical' }), authz('POST', '/containers/create', PRIVILEGED)).answer.Allow).toBe(false);
  });

  it('the config ignores and rule settings apply', () => {
    const ignored = { ignore: [{ rule: 'DA505', subject: 'build-*', reason: 'the build runner needs it' }], rules: { DA504: 'off', DA502: 'off', DA522: 'off', DA503: 'off', DA518: 'off' } };
    const kept = decideRequest(policy({}, ignored), authz('POST', '/containers/create?name=build-1', PRIVILEGED));
    expect(kept.record?.reasons).toEqual([]);
    expect(kept.answer.Allow).toBe(true);
    expect(decideRequest(policy({}, ignored), authz('POST', '/containers/create?name=web', PRIVILEGED)).answer.Allow).toBe(false);
    const lowered = { rules: { DA510: { severity: 'low' } } };
    const hostNetwork = { ...HARDENED, HostConfig: { ...HARDENED.HostConfig, NetworkMode: 'host' } };
    expect(decideRequest(policy({}, lowered), authz('POST', '/containers/create', hostNetwork)).answer.Allow).toBe(true);
  });
});

describe('guard fails closed on bodies it cannot judge', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['no body at all (CVE-2024-41110)', authz('POST', '/containers/create'), /did not receive the request body/],
    ['an empty body', { ...authz('POST', '/containers/create'), RequestBody: '' }, /did not receive/],
    ['a body that is not JSON', authz('POST', '/containers/create', '{"Image": "busybox", "HostConfig": {"Privileged": tru'), /not valid JSON/],
    ['a body that is not base64', { ...authz('POST', '/containers/create'), RequestBody: '!!not base64!!' }, /not base64/],
    ['a body shorter than its Content-Length', authz('POST', '/containers/create', HARDENED, { RequestHeaders: { 'Content-Length': '99999' } }), /not the 99999 bytes/],
    ['a JSON array where an object is expected', authz('POST', '/containers/create', [1, 2]), /not a JSON object/],
    ['bytes that are not UTF-8', { ...authz('POST', '/containers/create'), RequestBody: Buffer.from([0x7b, 0xff, 0x7d]).toString('base64') }, /not UTF-8/],
  ];
  it.each(cases)('refuses %s in enforce mode', (_name, request, reason) => {
    const decision = decideRequest(policy(), request);
    expect(decision.answer.Allow).toBe(false);
    expect(decision.answer.Msg).toMatch(reason);
    expect(decision.record?.verdict).toBe('refuse');
  });

  it('allows and logs the same in dry-run', () => {
    const decision = decideRequest(policy({ mode: 'dry-run' }), authz('POST', '/containers/create'));
    expect(decision.answer.Allow).toBe(true);
    expect(decision.record?.verdict).toBe('would-refuse');
  });

  it('reads the URI whichever way its key is spelled', () => {
    const { RequestUri: uri, ...rest } = authz('POST', '/containers/create', PRIVILEGED);
    expect(decideRequest(policy(), { ...rest, RequestURI: uri }).record?.rules).toContain('DA505');
  });

  it('refuses an authorization request it could not read, in enforce mode only', () => {
    expect(decideUnreadable(policy(), 'it is larger than 4194304 bytes').answer.Allow).toBe(false);
    expect(decideUnreadable(policy({ mode: 'dry-run' }), 'it is larger than 4194304 bytes').answer.Allow).toBe(true);
    expect(decideRequest(policy(), 'not an object').answer.Allow).toBe(false);
    expect(decideRequest(policy(), { RequestMethod: 'POST' }).answer.Allow).toBe(false);
  });
});

describe('guarded endpoints and those that pass untouched', () => {
  it('passes GET /containers/json untouched, with no record', () => {
    const decision = decideRequest(policy(), authz('GET', '/v1.41/containers/json?all=1'));
    expect(decision).toEqual({ answer: { Allow: true, Msg: '', Err: '' } });
  });

  it.each([
    ['POST', '/v1.41/containers/abc/start'],
    ['POST', '/v1.41/containers/abc/kill?signal=KILL'],
    ['GET', '/containers/create'],
    ['POST', '/v1.41/images/create?fromImage=busybox'],
    ['POST', '/v1.41/containers/create/extra'],
    ['DELETE', '/v1.41/containers/abc'],
  ])('passes %s %s untouched even without a body', (method, uri) => {
    expect(decideRequest(policy(), authz(method, uri)).record).toBeUndefined();
  });

  it.each([
    '/containers/create',
    '/v1.41/containers/create',
    '/v1.41/containers/create?name=x&platform=linux',
    '/V1.41/Containers/CREATE',
    '//v1.41//containers/./create',
    '/v1.41/containers/abc/../create',
    '/v1.41/containers%2Fcreate',
    '/v1.41/%63ontainers/create',
    '/v1.41/containers/create#frag',
    'http://docker/v1.41/containers/create',
  ])('guards a create spelled %s', (uri) => {
    const decision = decideRequest(policy(), authz('post', uri, PRIVILEGED));
    expect(decision.answer.Allow).toBe(false);
    expect(decision.answer.Msg).toContain('DA505');
  });

  it('refuses a path with malformed percent-escapes in enforce mode', () => {
    expect(decideRequest(policy(), authz('POST', '/v1.41/containers/cr%zzeate', PRIVILEGED)).answer.Allow).toBe(false);
  });

  it('judges an update by what it can set: devices (DA518)', () => {
    const devices = { Devices: [{ PathOnHost: '/dev/sda', PathInContainer: '/dev/sda', CgroupPermissions: 'rwm' }] };
    const refused = decideRequest(policy(), authz('POST', '/v1.41/containers/web/update', devices));
    expect(refused.answer.Allow).toBe(false);
    expect(refused.record?.rules).toEqual(['DA518']);
    expect(decideRequest(policy(), authz('POST', '/v1.41/containers/web/update', { Memory: 1 << 26 })).answer.Allow).toBe(true);
  });

  it('judges an exec create: privileged exec is DA523, refused at --deny-on medium only', () => {
    const body = { Cmd: ['sh'], Privileged: true, User: 'root' };
    expect(decideRequest(policy(), authz('POST', '/v1.41/containers/web/exec', body)).answer.Allow).toBe(true);
    const refused = decideRequest(policy({ denyOn: 'medium' }), authz('POST', '/v1.41/containers/web/exec', body));
    expect(refused.answer.Allow).toBe(false);
    expect(refused.record?.rules).toEqual(['DA523', 'DA524']);
    expect(decideRequest(policy({ denyOn: 'medium' }), authz('POST', '/v1.41/containers/web/exec', { Cmd: ['sh'], User: '1000' })).answer.Allow).toBe(true);
  });

  it('judges a service create by its spec', () => {
    const spec = {
      Name: 'api',
      TaskTemplate: {
        ContainerSpec: { Image: 'busybox', Mounts: [{ Type: 'bind', Source: '/var/run/docker.sock', Target: '/var/run/docker.sock' }] },
      },
    };
    const decision = decideRequest(policy(), authz('POST', '/v1.41/services/create', spec));
    expect(decision.answer.Allow).toBe(false);
    expect(decision.record?.rules).toContain('DA532');
  });

  it('judges a plugin install by the privileges it is granted', () => {
    const privileges = [
      { Name: 'network', Value: ['host'] },
      { Name: 'mount', Value: ['/var/run/docker.sock'] },
      { Name: 'capabilities', Value: ['CAP_SYS_ADMIN'] },
    ];
    const decision = decideRequest(policy(), authz('POST', '/v1.41/plugins/pull?remote=vieux/sshfs:latest', privileges));
    expect(decision.answer.Allow).toBe(false);
    expect(decision.record).toMatchObject({ kind: 'plugin-install', name: 'vieux/sshfs:latest' });
    expect(decision.record?.rules).toEqual(expect.arrayContaining(['DA504', 'DA510', 'DA532']));
    expect(decideRequest(policy(), authz('POST', '/v1.41/plugins/vieux/sshfs:latest/upgrade?remote=vieux/sshfs:next', [])).answer.Allow).toBe(true);
  });
});

describe('guard decision time', () => {
  /** A create body with `count` binds, environment entries and port bindings. */
  function largeBody(count: number): Record<string, unknown> {
    const ports: Record<string, unknown> = {};
    for (let index = 0; index < count; index += 1) ports[`${10000 + index}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: String(10000 + index) }];
    return {
      ...HARDENED,
      Env: Array.from({ length: count }, (_, index) => `VARIABLE_${index}=value`),
      HostConfig: { ...HARDENED.HostConfig, Binds: Array.from({ length: count }, (_, index) => `volume${index}:/data/${index}:ro`), PortBindings: ports },
    };
  }

  /** Best CPU time of `runs` decisions: a busy machine stretches wall time, not the work done. */
  function bestOf(runs: number, request: Record<string, unknown>): number {
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < runs; run += 1) {
      const started = process.cpuUsage();
      decideRequest(policy(), request);
      const used = process.cpuUsage(started);
      best = Math.min(best, used.user + used.system);
    }
    return best;
  }

  it('grows linearly with the body: 4x the entries take under 8x the time', () => {
    const small = authz('POST', '/containers/create', largeBody(1000));
    const large = authz('POST', '/containers/create', largeBody(4000));
    bestOf(5, small);
    bestOf(5, large);
    const ratio = bestOf(9, large) / bestOf(9, small);
    expect(ratio).toBeLessThan(8);
  });
});

describe('guard decision with the daemon facts', () => {
  const WITHOUT_NNP = { ...HARDENED, HostConfig: { ...HARDENED.HostConfig, SecurityOpt: [] } };
  const daemon = (securityOptions: string[]): GuardPolicy['daemon'] => ({
    version: { Version: '27.0.0' },
    info: { Name: 'host', SecurityOptions: securityOptions },
    config: { unavailable: true, reason: 'not local' },
  });

  it('admits a create without no-new-privileges when the daemon sets it for every container (DA526)', () => {
    const decision = decideRequest(policy({ daemon: daemon(['name=seccomp,profile=builtin', 'name=no-new-privileges']) }), authz('POST', '/containers/create?name=web', WITHOUT_NNP));
    expect(decision.answer.Allow).toBe(true);
  });

  it('refuses it when the daemon does not set it', () => {
    const decision = decideRequest(policy({ daemon: daemon(['name=seccomp,profile=builtin']) }), authz('POST', '/containers/create?name=web', WITHOUT_NNP));
    expect(decision.answer.Allow).toBe(false);
    expect(decision.record?.rules).toEqual(['DA526']);
  });

  it('refuses it when the daemon facts could not be read: fail closed', () => {
    const decision = decideRequest(policy(), authz('POST', '/containers/create?name=web', WITHOUT_NNP));
    expect(decision.answer.Allow).toBe(false);
    expect(decision.answer.Msg).toContain('DA526');
  });

  it('refuses, without the daemon facts, what a rule that needs them could not judge at the refusing severity', () => {
    const without = decideRequest(policy({ denyOn: 'low' }), authz('POST', '/containers/create?name=web', HARDENED));
    expect(without.answer.Allow).toBe(false);
    expect(without.answer.Msg).toMatch(/not judged without the daemon's facts/);
    const withFacts = decideRequest(policy({ denyOn: 'low', daemon: daemon(['name=no-new-privileges']) }), authz('POST', '/containers/create?name=web', HARDENED));
    expect(withFacts.answer.Msg).not.toMatch(/not judged without the daemon's facts/);
  });
});
