/**
 * Images for the image-content tests and the bench, built locally (there is no registry):
 *
 * - `da-test/debian:12`: a real Debian root filesystem made with
 *   `debootstrap --variant=minbase bookworm`, imported with `docker import`. It has setuid
 *   binaries (passwd, su, mount…), a dpkg database and the apt lists debootstrap leaves. The
 *   root filesystem tarball is cached in /var/cache/dockaudit-testbed, so a machine pays the
 *   debootstrap (a few minutes on a busy machine) once.
 * - `da-test/image-secrets:1`: static busybox FROM scratch with planted secrets (a private key,
 *   AWS credentials, an .npmrc token, a .env file, a Git directory whose remote URL carries a
 *   token), accounts with a second UID 0 and an empty password, a setuid copy of busybox and
 *   a world-writable directory.
 * - `da-test/image-deleted-secret:1`: built FROM the previous one, adds Docker registry
 *   credentials in one layer and deletes them in the next.
 *
 * Run by hand: `node scripts/testbed/image-fixtures.mjs`.
 */
import { execFile as execFileCallback } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { docker } from './docker.mjs';

const execFile = promisify(execFileCallback);

export const TESTBED_CACHE = '/var/cache/dockaudit-testbed';
export const DEBIAN_ROOTFS_TAR = join(TESTBED_CACHE, 'debian-bookworm-minbase.tar');

export const IMAGE_FIXTURES = {
  debian: 'da-test/debian:12',
  secrets: 'da-test/image-secrets:1',
  deletedSecret: 'da-test/image-deleted-secret:1',
};

/** Fake credentials: shaped like real ones so the scanner recognises them, valid nowhere. */
export const PLANTED = {
  awsAccessKeyId: 'AKIADOCKAUDITTEST000',
  awsSecretKey: 'dockauditTestSecretKeyNotRealAtAll0000000',
  npmToken: 'npm_dockauditTestTokenNotReal000000000000',
  registryAuth: Buffer.from('ci:dockaudit-test-password').toString('base64'),
  gitToken: 'ghp_dockauditTestTokenNotReal00000000000000',
};

const BUSYBOX_BINARY = '/usr/bin/busybox';
const BUILD_ENV = { DOCKER_BUILDKIT: '0' };

async function imageExists(name) {
  try {
    await docker(['image', 'inspect', '--format', '{{.Id}}', name]);
    return true;
  } catch {
    return false;
  }
}

/** The Debian mirror apt uses here (deb822 or one-line sources), else Debian's default. */
export async function debianMirror() {
  const candidates = ['/etc/apt/sources.list'];
  try {
    for (const name of await readdir('/etc/apt/sources.list.d')) candidates.push(join('/etc/apt/sources.list.d', name));
  } catch {
    // No sources.list.d: the default is fine.
  }
  for (const path of candidates) {
    let text;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
    if (oneLine) return oneLine[1];
    for (const stanza of text.split(/\n\s*\n/)) {
      const uris = /^URIs:\s*(\S+)/m.exec(stanza);
      if (uris && /^Suites:.*\bbookworm\b/m.test(stanza) && !/security/.test(uris[1])) return uris[1];
    }
  }
  return 'http://deb.debian.org/debian';
}

async function ensureDebootstrap() {
  try {
    await execFile('debootstrap', ['--version']);
  } catch {
    await execFile('apt-get', ['update', '-qq'], { timeout: 300_000 });
    await execFile('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'debootstrap'], {
      timeout: 300_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
}

/**
 * The Debian root filesystem tarball, made once per machine. Fails with the reason when
 * debootstrap cannot reach a mirror (the tests then fail: they never skip).
 */
export async function ensureDebianRootfs() {
  if (existsSync(DEBIAN_ROOTFS_TAR)) return DEBIAN_ROOTFS_TAR;
  await ensureDebootstrap();
  await mkdir(TESTBED_CACHE, { recursive: true });
  const work = await mkdtemp(join(TESTBED_CACHE, 'debootstrap-'));
  try {
    const rootfs = join(work, 'rootfs');
    const mirror = await debianMirror();
    try {
      await execFile('debootstrap', ['--variant=minbase', 'bookworm', rootfs, mirror], { timeout: 900_000, maxBuffer: 64 << 20 });
    } catch (error) {
      const detail = `${error.stderr ?? ''}${error.stdout ?? ''}`.trim().split('\n').slice(-3).join(' | ');
      throw new Error(`debootstrap --variant=minbase bookworm from ${mirror} failed: ${detail || error.message}`);
    }
    const partial = join(work, 'rootfs.tar');
    await execFile('tar', ['-C', rootfs, '-cf', partial, '.'], { timeout: 300_000 });
    await rename(partial, DEBIAN_ROOTFS_TAR);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return DEBIAN_ROOTFS_TAR;
}

/** `da-test/debian:12`, imported from the cached root filesystem when the daemon lacks it. */
export async function ensureDebianImage() {
  if (await imageExists(IMAGE_FIXTURES.debian)) return IMAGE_FIXTURES.debian;
  const tarball = await ensureDebianRootfs();
  await docker(['import', tarball, IMAGE_FIXTURES.debian], { timeoutMs: 300_000 });
  return IMAGE_FIXTURES.debian;
}

async function put(root, path, content, mode = 0o644) {
  const target = join(root, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
  await chmod(target, mode);
}

/** Builds the busybox images with planted secrets (the legacy builder's cache makes a rebuild cheap). */
export async function buildSecretImages() {
  if (!existsSync(BUSYBOX_BINARY)) throw new Error(`${BUSYBOX_BINARY} is missing: install the Debian package busybox-static`);
  const context = await mkdtemp(join(tmpdir(), 'dockaudit-image-fixtures-'));
  try {
    await copyFile(BUSYBOX_BINARY, join(context, 'busybox'));
    // A fixed key would be found by secret scanners in this repository; a fresh one per build is not.
    const { privateKey } = generateKeyPairSync('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const planted = join(context, 'planted');
    await put(planted, 'root/.ssh/id_ed25519', privateKey, 0o600);
    await put(planted, 'srv/tls/server.key', privateKey, 0o600);
    await put(planted, 'root/.aws/credentials', `[default]\naws_access_key_id = ${PLANTED.awsAccessKeyId}\naws_secret_access_key = ${PLANTED.awsSecretKey}\n`, 0o600);
    await put(planted, 'home/app/.npmrc', `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${PLANTED.npmToken}\n`);
    await put(planted, 'app/.env', 'DATABASE_URL=postgres://app:app@db/app\n');
    await put(planted, 'app/.git/HEAD', 'ref: refs/heads/main\n');
    await put(planted, 'app/.git/config', `[remote "origin"]\n\turl = https://ci:${PLANTED.gitToken}@git.example.com/acme/app.git\n`);
    await put(planted, 'app/server.js', 'console.log("hello");\n');
    // Accounts to catch: a second UID 0 and an account without a password.
    await put(planted, 'etc/passwd', 'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0:backdoor:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n');
    await put(planted, 'etc/shadow', 'root:*:19000:0:99999:7:::\ntoor:*:19000:0:99999:7:::\napp::19000:0:99999:7:::\n', 0o640);
    await mkdir(join(planted, 'srv/drop'), { recursive: true });
    await chmod(join(planted, 'srv/drop'), 0o777);
    await put(context, 'docker-config.json', JSON.stringify({ auths: { 'registry.example.com': { auth: PLANTED.registryAuth } } }));
    await writeFile(
      join(context, 'Dockerfile.secrets'),
      [
        'FROM scratch',
        'COPY busybox /bin/busybox',
        'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
        'COPY planted/ /',
        // The legacy builder keeps the context's modes but not a setuid bit reliably: set it here.
        'RUN cp /bin/busybox /bin/suid-busybox && chmod 4755 /bin/suid-busybox && chmod 0777 /srv/drop',
        'USER 1000',
        'CMD ["sh"]',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(context, 'Dockerfile.deleted'),
      [`FROM ${IMAGE_FIXTURES.secrets}`, 'USER 0', 'COPY docker-config.json /root/.docker/config.json', 'RUN rm /root/.docker/config.json', 'USER 1000', ''].join('\n'),
    );
    await docker(['build', '-q', '-f', join(context, 'Dockerfile.secrets'), '-t', IMAGE_FIXTURES.secrets, context], { env: BUILD_ENV, timeoutMs: 300_000 });
    await docker(['build', '-q', '-f', join(context, 'Dockerfile.deleted'), '-t', IMAGE_FIXTURES.deletedSecret, context], { env: BUILD_ENV, timeoutMs: 300_000 });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return IMAGE_FIXTURES;
}

/** Everything the image-content tests need. */
export async function buildImageFixtures() {
  await ensureDebianImage();
  await buildSecretImages();
  return IMAGE_FIXTURES;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const images = await buildImageFixtures();
  console.log(`built ${Object.values(images).join(', ')}`);
}
