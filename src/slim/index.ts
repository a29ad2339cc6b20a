/**
 * `dockaudit slim`: observe an image's command under strace, generate a seccomp and an AppArmor
 * profile from what it did, optionally build a minified image holding only what it used, and
 * prove that the command still behaves the same under the seccomp profile.
 */
import { writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { resolveEndpoint, createClient } from '../collect/endpoint.js';
import { EngineApiError, type EngineClient } from '../collect/docker-api.js';
import { CollectionError, UsageError, describeError } from '../errors.js';
import { isImageIdReference, parseImageReference } from '../parsers/image-reference.js';
import { apparmorProfile } from './apparmor.js';
import { created } from './cleanup.js';
import { configChanges, filterTar, indexTar, planKeep, planTotals, realPath, resolvedFileUses, type FsIndex, type ImageConfig } from './minify.js';
import { findOnPath, observe } from './observe.js';
import { checkAppArmorProfile, compareRuns, type AppArmorCheck, type ProofVerdict } from './prove.js';
import { runContainer, type HttpProbe, type RunResult } from './run.js';
import { RUNTIME_SYSCALLS, seccompProfile } from './seccomp.js';
import { parseTrace, type Observation } from './trace.js';

export interface SlimOptions {
  image: string;
  /** `repository:tag` for the minified image; none: no image is built. */
  tag?: string;
  seccompFile: string;
  apparmorFile: string;
  profileName: string;
  timeoutSeconds: number;
  probe?: HttpProbe;
  include: string[];
  /** Replaces the image's Cmd (as `docker run IMAGE CMD…` does); empty: the image's own. */
  command: string[];
  /** Syscalls left out of the profile even when observed. */
  denySyscalls: string[];
  host?: string;
  env: NodeJS.ProcessEnv;
  arch: string;
}

export interface SlimSummary {
  image: string;
  command: string[];
  observed: { exitCode?: number; stopped: boolean; stdoutBytes: number; probe?: { path: string; status: number } };
  syscalls: { observed: number; allowed: number; runtime: number; denied: string[]; unnamed: string[] };
  files: { touched: number; kept?: number; total?: number };
  network: string[];
  capabilities: string[];
  size: { before: number; after?: number; percentSaved?: number };
  slimImage?: string;
  profiles: { seccomp: string; apparmor: string; apparmorCheck: AppArmorCheck };
  proof: ProofVerdict & { image: string; exitCode?: number; stopped: boolean; probe?: { path: string; status: number } };
  notes: string[];
}

interface InspectedImage {
  Id: string;
  Size?: number;
  Config?: ImageConfig & { WorkingDir?: string };
}

async function inspectImage(client: EngineClient, reference: string): Promise<InspectedImage> {
  try {
    return (await client.getImage(reference).inspect()) as unknown as InspectedImage;
  } catch (error) {
    if (error instanceof EngineApiError && error.statusCode === 404) throw new CollectionError(`image ${reference} not found on the daemon`);
    throw new CollectionError(`cannot inspect image ${reference}: ${describeError(error)}`);
  }
}

function splitTag(reference: string): { repository: string; tag: string } {
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  if (colon > slash) return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { repository: reference, tag: 'latest' };
}

/** Exports a never-started container of `image`: the image's files, untouched by any run. */
async function withPristineExport<T>(client: EngineClient, image: string, use: (tar: Readable) => Promise<T>): Promise<T> {
  const creating = client.createContainer({ Image: image, Entrypoint: ['/'], Cmd: [], Labels: { 'dockaudit.slim': 'export' } });
  const container = created(async () => client.removeContainer((await creating).Id, { force: true, volumes: true }));
  try {
    return await use(await client.exportContainer((await creating).Id));
  } finally {
    await container.remove();
  }
}

/** The file the command's first word names: itself when absolute, else the first match on the image's PATH. */
function commandExecutable(index: FsIndex, program: string, env: string[], workingDir: string): string | undefined {
  if (program.includes('/')) return posix.resolve(workingDir, program);
  const path = env.find((variable) => variable.startsWith('PATH='))?.slice('PATH='.length) ?? DEFAULT_PATH;
  return path
    .split(':')
    .filter((directory) => directory.startsWith('/'))
    .map((directory) => posix.join(directory, program))
    .find((candidate) => realPath(index, candidate) !== undefined);
}

/** Docker's PATH for containers whose image sets none. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Builds the minified image `tag`: the files the run touched (and what they need) streamed from
 * a pristine export of `image` into the daemon's import, with the original config.
 */
async function buildSlimImage(
  client: EngineClient,
  image: string,
  tagged: string,
  inputs: { index: FsIndex; observation: Observation; argv: string[]; config: ImageConfig; include: string[] },
): Promise<{ keptFiles: number; totalFiles: number; size: number; notes: string[] }> {
  const { index, observation, argv, config } = inputs;
  const notes: string[] = [];
  const listed = [...observation.files].filter(([, uses]) => uses.has('list')).map(([path]) => path);
  const program = commandExecutable(index, argv[0] as string, config.Env ?? [], config.WorkingDir || '/');
  const plan = planKeep(index, { paths: [...observation.files.keys(), ...(program ? [program] : [])], listed, include: inputs.include });
  if (plan.missingIncludes.length > 0) notes.push(`--include paths not in the image: ${plan.missingIncludes.join(', ')}`);
  const totals = planTotals(index, plan.keep);
  const { repository, tag } = splitTag(tagged);
  await withPristineExport(client, image, (tar) =>
    client.importImage(filterTar(tar, plan.keep), { repository, tag, changes: configChanges(config) }).catch((error: unknown) => {
      throw new CollectionError(`importing the slim image ${tagged} failed: ${describeError(error)}`);
    }),
  );
  const built = await inspectImage(client, tagged);
  if (config.StopSignal) notes.push(`the slim image has the default stop signal: the daemon's import cannot set STOPSIGNAL ${config.StopSignal}`);
  return { keptFiles: totals.keptFiles, totalFiles: totals.totalFiles, size: built.Size ?? 0, notes };
}

/** Runs the whole slim pipeline and returns its summary. Throws typed errors when it cannot run. */
export async function slim(options: SlimOptions): Promise<SlimSummary> {
  try {
    return await runSlim(options);
  } catch (error) {
    // The daemon failing mid-way (a container that cannot be created, an image gone) is a
    // reason slim could not run, said in one line like the others.
    if (error instanceof EngineApiError) throw new CollectionError(`Docker daemon: ${error.message}`);
    throw error;
  }
}

/** `app`, `app:latest` and `docker.io/library/app:latest` are one name: the same string here. */
export function canonicalTag(reference: string): string {
  const parsed = parseImageReference(reference);
  return `${parsed.registry}/${parsed.repository}:${parsed.tag ?? 'latest'}${parsed.digest ? `@${parsed.digest}` : ''}`;
}

/**
 * Refuses a --tag that names the image being slimmed, by name or because it already names that
 * same image: importing under it would take the name from the original, which then keeps only
 * what one run used.
 */
async function refuseOwnTag(client: EngineClient, options: SlimOptions, originalId: string): Promise<void> {
  if (!options.tag) return;
  const refuse = (how: string) => new UsageError(`--tag ${options.tag} ${how}: slimming it would replace the original; choose another name`);
  if (canonicalTag(options.tag) === canonicalTag(options.image) || isImageIdReference(options.tag, originalId)) throw refuse(`is the image ${options.image}`);
  let existing: InspectedImage | undefined;
  try {
    existing = (await client.getImage(options.tag).inspect()) as unknown as InspectedImage;
  } catch {
    return; // Not there yet: the usual case.
  }
  if (existing.Id === originalId) throw refuse(`already names ${options.image} (${originalId.slice(0, 19)})`);
}

async function runSlim(options: SlimOptions): Promise<SlimSummary> {
  const endpoint = resolveEndpoint(options.host, options.env);
  if (!endpoint.socketPath) {
    throw new UsageError(`slim bind-mounts a tracer from this machine into the container, so the daemon must run here; ${endpoint.address} is not a unix socket`);
  }
  const client = createClient(endpoint);
  try {
    await client.ping();
  } catch (error) {
    throw new CollectionError(`cannot reach the Docker daemon at ${endpoint.address}: ${describeError(error)}`);
  }
  const original = await inspectImage(client, options.image);
  await refuseOwnTag(client, options, original.Id);
  const config = original.Config ?? {};
  const argv = [...(config.Entrypoint ?? []), ...(options.command.length > 0 ? options.command : (config.Cmd ?? []))];
  if (argv.length === 0) throw new UsageError(`image ${options.image} has no Entrypoint or Cmd: give the command after --`);
  const notes: string[] = [];

  const observed = await observe(client, { image: options.image, argv, timeoutSeconds: options.timeoutSeconds, env: options.env, ...(options.probe ? { probe: options.probe } : {}) });
  if (!observed.run.started) throw new CollectionError(`the observed container did not start: ${observed.run.error ?? 'unknown reason'}`);
  if (observed.trace.trim() === '') {
    throw new CollectionError(`strace wrote no trace${observed.run.stderr.trim() ? `: ${observed.run.stderr.trim().split('\n')[0]}` : ''}`);
  }
  if (options.probe && !observed.run.probe) throw new CollectionError(`the HTTP probe got no answer from the observed container: ${observed.run.probeError ?? 'no answer'}`);
  const observation = parseTrace(observed.trace, { workingDir: config.WorkingDir ?? '/' });
  if (observation.unnamedSyscalls.length > 0) notes.push(`strace named some syscalls by number only (${observation.unnamedSyscalls.join(', ')}); the profile cannot allow them`);

  // The image's file index (headers and the first bytes of executables) resolves symlinks and
  // interpreters for the AppArmor profile, and decides what a slim image keeps.
  const index = await withPristineExport(client, options.image, (tar) => indexTar(tar));
  const profile = seccompProfile(observation, { arch: options.arch, without: options.denySyscalls });
  await writeOutput(options.seccompFile, `${JSON.stringify(profile, null, 2)}\n`);
  const apparmorFiles = resolvedFileUses(observation.files, index, ['exec', 'read']);
  await writeOutput(options.apparmorFile, apparmorProfile({ ...observation, files: apparmorFiles }, { name: options.profileName }));
  const apparmorCheck = await checkAppArmorProfile(options.apparmorFile, findOnPath('apparmor_parser', { PATH: `${options.env['PATH'] ?? ''}:/usr/sbin:/sbin` }));
  if (!apparmorCheck.kernelEnforces) notes.push('AppArmor is not enabled in this kernel: the AppArmor profile was generated (and parsed) but could not be enforced, so the proof covers the seccomp profile only');

  const summary: SlimSummary = {
    image: options.image,
    command: argv,
    observed: {
      ...(observed.run.exitCode !== undefined ? { exitCode: observed.run.exitCode } : {}),
      stopped: observed.run.stopped,
      stdoutBytes: Buffer.byteLength(observed.run.stdout),
      ...(observed.run.probe ? { probe: observed.run.probe } : {}),
    },
    syscalls: {
      observed: observation.syscalls.length,
      allowed: profile.syscalls[0]?.names.length ?? 0,
      runtime: RUNTIME_SYSCALLS.length,
      denied: [...options.denySyscalls].sort(),
      unnamed: observation.unnamedSyscalls,
    },
    files: { touched: observation.files.size },
    network: observation.network,
    capabilities: observation.capabilities,
    size: { before: original.Size ?? 0 },
    profiles: { seccomp: options.seccompFile, apparmor: options.apparmorFile, apparmorCheck },
    proof: { passed: false, differences: [], image: options.tag ?? options.image, stopped: false },
    notes,
  };

  if (options.tag) {
    const built = await buildSlimImage(client, options.image, options.tag, { index, observation, argv, config, include: options.include });
    summary.slimImage = options.tag;
    summary.files = { touched: observation.files.size, kept: built.keptFiles, total: built.totalFiles };
    summary.size.after = built.size;
    if (summary.size.before > 0) summary.size.percentSaved = Math.round((1 - built.size / summary.size.before) * 1000) / 10;
    notes.push(...built.notes);
    if (options.command.length > 0) notes.push(`the slim image keeps the original Cmd; it was observed and proven with ${JSON.stringify(options.command)}`);
  }

  const proof: RunResult = await runContainer(client, {
    image: options.tag ?? options.image,
    argv,
    securityOpt: [`seccomp=${JSON.stringify(profile)}`],
    timeoutSeconds: options.timeoutSeconds,
    labels: { 'dockaudit.slim': 'prove' },
    ...(options.probe ? { probe: options.probe } : {}),
  });
  summary.proof = {
    ...compareRuns(observed.run, proof),
    image: options.tag ?? options.image,
    ...(proof.exitCode !== undefined ? { exitCode: proof.exitCode } : {}),
    stopped: proof.stopped,
    ...(proof.probe ? { probe: proof.probe } : {}),
  };
  return summary;
}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${describeError(error)}`);
  }
}
