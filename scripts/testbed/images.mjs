/**
 * Builds the test images locally, with no registry: FROM scratch plus the static busybox
 * of the host (Debian package busybox-static). Re-running is cheap: the legacy builder's
 * cache makes a second build a no-op.
 *
 * Run by hand: `node scripts/testbed/images.mjs`.
 */
import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { docker } from './docker.mjs';

export const BUSYBOX_BINARY = '/usr/bin/busybox';

export const IMAGES = {
  /** Root user, no healthcheck, no EXPOSE: the plain image every "bad" container runs. */
  busybox: 'da-test/busybox:1',
  /** The same image under a database's name, for the database-port rule. */
  postgres: 'postgres:16',
  /** The same image under a log shipper's name: the scenario's log collector. */
  fluentBit: 'fluent/fluent-bit:3',
  /** Non-root USER, a HEALTHCHECK and EXPOSE 8080: what the hardened container runs. */
  hardened: 'da-test/hardened:1',
  /** What image rules must catch: a secret in ENV, ADD where COPY would do, a package-list update alone. */
  bad: 'da-test/bad-image:1',
  /** Runs a process whose program is /usr/sbin/sshd (GNU sleep under that name, with its libraries). */
  sshd: 'da-test/sshd:1',
};

const DOCKERFILES = {
  busybox: [
    'FROM scratch',
    'LABEL dockaudit.test="1"',
    'COPY busybox /bin/busybox',
    'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
    'CMD ["sh"]',
  ],
  hardened: [
    `FROM ${IMAGES.busybox}`,
    'USER 1000:1000',
    'EXPOSE 8080',
    'HEALTHCHECK --interval=2s --timeout=2s --retries=3 CMD ["/bin/true"]',
    'CMD ["sleep", "86400"]',
  ],
  sshd: [`FROM ${IMAGES.busybox}`, 'COPY sshd-root/ /', 'CMD ["/usr/sbin/sshd", "infinity"]'],
  bad: [
    `FROM ${IMAGES.busybox}`,
    'ENV API_TOKEN=not-a-real-token',
    'ADD hello.txt /opt/hello.txt',
    // busybox has no apt-get: the shell reports it missing and `|| true` keeps the build going.
    'RUN apt-get update || true',
    'CMD ["sleep", "86400"]',
  ],
};

/**
 * A process that looks like sshd to `docker top`: the host's GNU sleep copied to
 * /usr/sbin/sshd with the shared libraries ldd lists (busybox cannot run under a name
 * that is not one of its applets, and a shell script would show as `/bin/sh /usr/sbin/sshd`).
 */
const SLEEP_BINARY = '/usr/bin/sleep';

async function stageSshdRoot(rootDir) {
  const libraries = execFileSync('ldd', [SLEEP_BINARY], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /(\/\S+) \(0x/.exec(line)?.[1])
    .filter((path) => path !== undefined);
  for (const [source, target] of [[SLEEP_BINARY, '/usr/sbin/sshd'], ...libraries.map((path) => [path, path])]) {
    await mkdir(join(rootDir, dirname(target)), { recursive: true });
    await copyFile(source, join(rootDir, target));
    await chmod(join(rootDir, target), 0o755);
  }
}

const BUILD_ENV = { DOCKER_BUILDKIT: '0' };

async function build(context, name, lines) {
  await writeFile(join(context, `Dockerfile.${name}`), `${lines.join('\n')}\n`);
  await docker(['build', '-q', '-f', join(context, `Dockerfile.${name}`), '-t', IMAGES[name], context], {
    env: BUILD_ENV,
    timeoutMs: 300_000,
  });
}

/** Builds (or refreshes from cache) every test image and the postgres-looking tag. */
export async function buildTestImages() {
  if (!existsSync(BUSYBOX_BINARY)) {
    throw new Error(`${BUSYBOX_BINARY} is missing: install the Debian package busybox-static`);
  }
  const context = await mkdtemp(join(tmpdir(), 'dockaudit-images-'));
  try {
    await copyFile(BUSYBOX_BINARY, join(context, 'busybox'));
    await stageSshdRoot(join(context, 'sshd-root'));
    await writeFile(join(context, 'hello.txt'), 'hello\n');
    await build(context, 'busybox', DOCKERFILES.busybox);
    await docker(['tag', IMAGES.busybox, IMAGES.postgres]);
    await docker(['tag', IMAGES.busybox, IMAGES.fluentBit]);
    await build(context, 'hardened', DOCKERFILES.hardened);
    await build(context, 'sshd', DOCKERFILES.sshd);
    await build(context, 'bad', DOCKERFILES.bad);
    // Earlier builds of these images, left untagged by a rebuild.
    await docker(['image', 'prune', '--force', '--filter', 'label=dockaudit.test=1']);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return IMAGES;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const images = await buildTestImages();
  console.log(`built ${Object.values(images).join(', ')}`);
}
