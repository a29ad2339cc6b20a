/**
 * Integration global setup: a real daemon, real images built locally, real containers.
 *
 * Never skips: when the daemon does not answer, the integration project fails with the reason
 * (.ci/run installs and starts dockerd before the tests run).
 *
 * DOCKAUDIT_KEEP_SCENARIO=1 leaves the scenario containers in place after the run (or after a
 * failed setup) to look at them with docker or run the CLI against them by hand.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { daemonStatus, docker, mapLimit, removeLabelled, sleep } from '../../scripts/testbed/docker.mjs';
import { buildTestImages, IMAGES } from '../../scripts/testbed/images.mjs';
import { LABEL_KEY, LABEL_VALUE, NETWORK, RESTART_LOOP_COUNT, SCENARIO, STALE_TAG, type ScenarioContainer } from './scenario.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_ENTRY = join(ROOT, 'dist/cli/main.js');
const WAIT_TIMEOUT_MS = 60_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The tests spawn the compiled CLI. CI builds before testing; for a developer who edited src/
 * since the last build, rebuild so the tests do not silently run stale code. A failed build is
 * not fatal here (tsc still emits when some file has type errors); the CLI tests report a
 * missing entry point themselves.
 */
function ensureBuilt(): void {
  if (existsSync(CLI_ENTRY) && statSync(CLI_ENTRY).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  } catch {
    // Type errors elsewhere still leave the emitted JavaScript usable.
  }
}

async function removeScenario(): Promise<void> {
  await removeLabelled(LABEL_KEY, LABEL_VALUE);
  const networks = await docker(['network', 'ls', '-q', '--filter', `label=${LABEL_KEY}=${LABEL_VALUE}`]);
  for (const id of networks.split('\n').filter(Boolean)) await docker(['network', 'rm', id]);
}

async function createContainer(entry: ScenarioContainer): Promise<void> {
  await docker([
    'create',
    '--name', entry.name,
    '--label', `${LABEL_KEY}=${LABEL_VALUE}`,
    ...entry.options,
    entry.image,
    ...entry.command,
  ]);
  if (entry.start) await docker(['start', entry.name]);
}

/** Polls a container until it is in the state the tests rely on. */
async function waitFor(entry: ScenarioContainer): Promise<void> {
  const wanted = entry.waitFor;
  if (wanted === undefined) return;
  const format = wanted === 'restarted' ? '{{.RestartCount}}' : '{{if .State.Health}}{{.State.Health.Status}}{{end}}';
  const reached = (value: string) => (wanted === 'restarted' ? Number(value) >= RESTART_LOOP_COUNT : value === wanted);
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    last = await docker(['inspect', '--format', format, entry.name]);
    if (reached(last)) return;
    await sleep(250);
  }
  throw new Error(`container ${entry.name} did not become ${wanted} within ${WAIT_TIMEOUT_MS / 1000}s (last: ${last || 'none'})`);
}

export default async function setup(): Promise<() => Promise<void>> {
  const daemon = await daemonStatus();
  if (!daemon.ok) {
    throw new Error(
      `integration tests need a running Docker daemon and \`docker info\` does not answer: ${daemon.reason}. ` +
        'Run .ci/run (it installs docker.io and starts dockerd) or start dockerd yourself.',
    );
  }
  ensureBuilt();
  await buildTestImages();
  await removeScenario();
  const keep = process.env.DOCKAUDIT_KEEP_SCENARIO === '1';
  try {
    await docker(['network', 'create', '--label', `${LABEL_KEY}=${LABEL_VALUE}`, NETWORK]);
    await docker(['tag', IMAGES.busybox, STALE_TAG]);
    await mapLimit(SCENARIO, 4, createContainer);
    // Move the tag on: the stale-image container now runs an image its tag no longer names.
    await docker(['tag', IMAGES.hardened, STALE_TAG]);
    await Promise.all(SCENARIO.map(waitFor));
  } catch (error) {
    // Leave nothing half-built running on a shared daemon (DOCKAUDIT_KEEP_SCENARIO=1 keeps it to look at).
    if (!keep) await removeScenario().catch(() => undefined);
    throw error;
  }
  return async () => {
    if (!keep) await removeScenario();
  };
}
