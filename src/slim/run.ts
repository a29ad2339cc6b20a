/**
 * Runs one container to the end over the Engine API: until it exits, until --timeout, or until
 * an HTTP probe has answered. The container is always removed afterwards, also on errors.
 */
import { request } from 'node:http';
import { EngineApiError, type EngineClient } from '../collect/docker-api.js';
import { created } from './cleanup.js';

export interface HttpProbe {
  port: number;
  path: string;
}

export interface RunSpec {
  image: string;
  /** The whole command: Entrypoint then Cmd. */
  argv: string[];
  binds?: string[];
  capAdd?: string[];
  securityOpt?: string[];
  probe?: HttpProbe;
  timeoutSeconds: number;
  labels?: Record<string, string>;
}

export interface ProbeAnswer {
  path: string;
  status: number;
}

export interface RunResult {
  /** False when the runtime refused to start the process (the reason is in `error`). */
  started: boolean;
  error?: string;
  exitCode?: number;
  /** True when dockaudit stopped it: --timeout ran out, or the probe was done. */
  stopped: boolean;
  stdout: string;
  stderr: string;
  probe?: ProbeAnswer;
  /** What kept the probe from being answered, when it was not. */
  probeError?: string;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** One GET to 127.0.0.1:port; resolves with the status, rejects when nothing answers. */
export function httpGet(port: number, path: string, timeoutMs = 2_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: timeoutMs, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

interface ContainerState {
  Running?: boolean;
  ExitCode?: number;
  Error?: string;
}

async function state(client: EngineClient, id: string): Promise<ContainerState> {
  const inspected = (await client.getContainer(id).inspect()) as { State?: ContainerState };
  return inspected.State ?? {};
}

async function publishedPort(client: EngineClient, id: string, port: number): Promise<number | undefined> {
  const inspected = (await client.getContainer(id).inspect()) as { NetworkSettings?: { Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> } };
  const bindings = inspected.NetworkSettings?.Ports?.[`${port}/tcp`] ?? [];
  const hostPort = bindings.find((binding) => binding.HostPort)?.HostPort;
  return hostPort ? Number(hostPort) : undefined;
}

/** Polls the published port until the probe answers, the container exits, or the deadline passes. */
async function probeUntilAnswered(client: EngineClient, id: string, probe: HttpProbe, deadline: number): Promise<{ answer?: ProbeAnswer; error?: string }> {
  const hostPort = await publishedPort(client, id, probe.port);
  if (hostPort === undefined) return { error: `port ${probe.port}/tcp was not published` };
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    try {
      const status = await httpGet(hostPort, probe.path);
      return { answer: { path: probe.path, status } };
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (!(await state(client, id)).Running) return { error: `the container exited before port ${probe.port} answered (${lastError})` };
    await sleep(200);
  }
  return { error: `port ${probe.port} did not answer within the timeout (${lastError})` };
}

/** Creates, starts, waits for and removes one container. Engine errors other than a refused start propagate. */
export async function runContainer(client: EngineClient, spec: RunSpec): Promise<RunResult> {
  const portKey = spec.probe ? `${spec.probe.port}/tcp` : undefined;
  const creating = client.createContainer({
    Image: spec.image,
    Entrypoint: spec.argv.slice(0, 1),
    Cmd: spec.argv.slice(1),
    Labels: spec.labels ?? {},
    ...(portKey ? { ExposedPorts: { [portKey]: {} } } : {}),
    HostConfig: {
      Binds: spec.binds ?? [],
      CapAdd: spec.capAdd ?? [],
      SecurityOpt: spec.securityOpt ?? [],
      ...(portKey ? { PortBindings: { [portKey]: [{ HostIp: '127.0.0.1', HostPort: '' }] } } : {}),
    },
  });
  // Listed before the daemon answers, so a signal meanwhile still removes it.
  const container = created(async () => client.removeContainer((await creating).Id, { force: true, volumes: true }));
  let id: string;
  try {
    id = (await creating).Id;
  } catch (error) {
    await container.remove();
    throw error;
  }
  try {
    try {
      await client.startContainer(id);
    } catch (error) {
      // The runtime refusing to start the process (a seccomp profile too strict for it, a
      // program missing from the image) is a result to report, not a failure of dockaudit.
      if (error instanceof EngineApiError && error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode !== 404) {
        return { started: false, error: error.message.replace(/^POST \S+: HTTP \d+: /, ''), stopped: false, stdout: '', stderr: '' };
      }
      throw error;
    }
    const deadline = Date.now() + spec.timeoutSeconds * 1000;
    let stopped = false;
    let probeResult: { answer?: ProbeAnswer; error?: string } | undefined;
    if (spec.probe) {
      probeResult = await probeUntilAnswered(client, id, spec.probe, deadline);
      if ((await state(client, id)).Running) {
        await client.stopContainer(id, 1);
        stopped = true;
      }
    } else {
      // Undefined when --timeout ran out with the container still running.
      await client.waitContainer(id, Math.max(1, deadline - Date.now()));
      if ((await state(client, id)).Running) {
        await client.stopContainer(id, 1);
        stopped = true;
      }
    }
    const final = await state(client, id);
    const logs = await client.containerLogs(id);
    return {
      started: true,
      ...(final.ExitCode !== undefined ? { exitCode: final.ExitCode } : {}),
      stopped,
      stdout: logs.stdout.toString('utf8'),
      stderr: logs.stderr.toString('utf8'),
      ...(probeResult?.answer ? { probe: probeResult.answer } : {}),
      ...(probeResult?.error ? { probeError: probeResult.error } : {}),
    };
  } finally {
    await container.remove();
  }
}
