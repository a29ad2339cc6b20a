#!/usr/bin/env node
/**
 * `npm run image`: builds the dockaudit image, `dockaudit:<package version>`, with no registry.
 *
 * The Dockerfile's published base is the usual Node image. A machine that cannot pull builds
 * its own base first: a `FROM scratch` image holding this machine's node binary, the shared
 * libraries it links (as `ldd` lists them), and a minimal /etc/passwd and /etc/group. It is
 * passed to the Dockerfile as its BASE build argument.
 *
 * Options: `--tag NAME` (default dockaudit:<version>), `--base IMAGE` (use this base instead of
 * building one, e.g. node:20-bookworm-slim where a registry is reachable), `--no-build` (do not
 * run `npm run build` when the bundle is missing or older than the sources).
 *
 * The docker CLI is used as it is configured (DOCKER_HOST, DOCKER_CONTEXT).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function parseArguments(argv) {
  const options = { tag: `dockaudit:${version}`, base: undefined, build: true };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--tag') options.tag = argv[++index];
    else if (argument === '--base') options.base = argv[++index];
    else if (argument === '--no-build') options.build = false;
    else throw new Error(`unknown argument ${argument} (expected --tag NAME, --base IMAGE or --no-build)`);
  }
  if (!options.tag || options.base === '') throw new Error('--tag and --base need a value');
  return options;
}

/** The newest modification time under a directory, in milliseconds. */
function newestMtime(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBundle(build) {
  const entry = join(root, 'dist/bundle/main.js');
  const fresh = existsSync(entry) && statSync(entry).mtimeMs >= newestMtime(join(root, 'src'));
  if (fresh) return;
  if (!build) throw new Error('dist/bundle is missing or older than src/: run npm run build first');
  console.error('==> npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}

function docker(args, options = {}) {
  // The classic builder: it needs no BuildKit plugin and builds FROM scratch with no registry.
  const result = spawnSync('docker', args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '0' }, ...options });
  if (result.status !== 0) throw new Error(`docker ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  return result.stdout.trim();
}

/** The absolute paths of the shared objects a binary loads, from `ldd`. */
function sharedLibraries(binary) {
  const output = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const paths = [];
  for (const line of output.split('\n')) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (match) paths.push(match[1]);
  }
  return paths;
}

/** Copies a file to the same path under `rootfs`, following links (the content, not the link). */
function copyInto(rootfs, path, mode) {
  const target = join(rootfs, path);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(realpathSync(path), target);
  chmodSync(target, mode ?? statSync(realpathSync(path)).mode & 0o777);
}

/** Builds the local base: this machine's node and its libraries, nothing else. */
function buildLocalBase() {
  const node = realpathSync(process.execPath);
  const nodeVersion = process.versions.node;
  const tag = `dockaudit-base:node-${nodeVersion}`;
  const context = mkdtempSync(join(tmpdir(), 'dockaudit-base-'));
  try {
    const rootfs = join(context, 'rootfs');
    copyInto(rootfs, node, 0o755);
    // The Dockerfile calls `node`: the published base has it on PATH at /usr/local/bin.
    if (node !== '/usr/local/bin/node') {
      mkdirSync(join(rootfs, 'usr/local/bin'), { recursive: true });
      copyFileSync(node, join(rootfs, 'usr/local/bin/node'));
      chmodSync(join(rootfs, 'usr/local/bin/node'), 0o755);
      rmSync(join(rootfs, node));
    }
    for (const library of sharedLibraries(node)) copyInto(rootfs, library);
    mkdirSync(join(rootfs, 'etc'), { recursive: true });
    writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/usr/sbin/nologin\nnode:x:1000:1000::/home/node:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n');
    writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n');
    for (const directory of ['tmp', 'root', 'home/node']) mkdirSync(join(rootfs, directory), { recursive: true });
    chmodSync(join(rootfs, 'tmp'), 0o1777);
    chmodSync(join(rootfs, 'root'), 0o700);
    writeFileSync(
      join(context, 'Dockerfile'),
      ['FROM scratch', 'COPY rootfs/ /', 'ENV PATH=/usr/local/bin:/usr/bin:/bin', `LABEL org.opencontainers.image.description="node ${nodeVersion} and its shared libraries, from the build machine"`, ''].join('\n'),
    );
    console.error(`==> base ${tag} (node ${nodeVersion} from ${node})`);
    docker(['build', '-q', '-t', tag, context]);
    return tag;
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

try {
  const options = parseArguments(process.argv.slice(2));
  ensureBundle(options.build);
  const base = options.base ?? buildLocalBase();
  console.error(`==> ${options.tag} on ${base}`);
  docker(['build', '-q', '--build-arg', `BASE=${base}`, '--label', `org.opencontainers.image.version=${version}`, '-t', options.tag, '.']);
  const size = Number(docker(['image', 'inspect', '--format', '{{.Size}}', options.tag]));
  console.error(`==> built ${options.tag} (${(size / 1024 / 1024).toFixed(1)} MiB)`);
  console.log(options.tag);
} catch (error) {
  console.error(`image: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
