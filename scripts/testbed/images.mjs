/**
 * Builds the test images locally, with no registry: FROM scratch plus the static busybox
 * of the host (Debian package busybox-static). Re-running is cheap: the legacy builder's
 * cache makes a second build a no-op.
 *
 * Run by hand: `node scripts/testbed/images.mjs`.
 */
import { copyFile, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { docker } from './docker.mjs';

export const BUSYBOX_BINARY = '/usr/bin/busybox';

export const IMAGES = {
  /** Root user, no healthcheck, no EXPOSE: the plain image every "bad" container runs. */
  busybox: 'da-test/busybox:1',
  /** The same image under a database's name, for the database-port rule. */
  postgres: 'postgres:16',
  /** Non-root USER, a HEALTHCHECK and EXPOSE 8080: what the hardened container runs. */
  hardened: 'da-test/hardened:1',
  /** Runs a process whose command line names sshd. */
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
  sshd: [`FROM ${IMAGES.busybox}`, 'COPY sshd /usr/sbin/sshd', 'CMD ["/usr/sbin/sshd", "-D"]'],
};

/** A shell script named sshd: `docker top` shows `/bin/sh /usr/sbin/sshd -D`. */
const SSHD_SCRIPT = '#!/bin/sh\nwhile :; do sleep 1000; done\n';

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
    await writeFile(join(context, 'sshd'), SSHD_SCRIPT);
    await chmod(join(context, 'sshd'), 0o755);
    await build(context, 'busybox', DOCKERFILES.busybox);
    await docker(['tag', IMAGES.busybox, IMAGES.postgres]);
    await build(context, 'hardened', DOCKERFILES.hardened);
    await build(context, 'sshd', DOCKERFILES.sshd);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return IMAGES;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const images = await buildTestImages();
  console.log(`built ${Object.values(images).join(', ')}`);
}
