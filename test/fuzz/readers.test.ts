/**
 * The Compose reader, the snapshot reader and the image archive reader on arbitrary and
 * mutated input: each returns, or fails with one of dockaudit's typed errors; none throws
 * anything else or hangs.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { scanArchiveStream } from '../../src/collect/image/archive.js';
import { LayerCache } from '../../src/collect/image/cache.js';
import { filesOnlySnapshot } from '../../src/collect/source-files-only.js';
import { DockauditError } from '../../src/errors.js';
import { mergeComposeFiles } from '../../src/parsers/compose/projects.js';
import { workloadsFromCompose } from '../../src/views/from-compose.js';
import { parseSnapshot, serialiseSnapshot } from '../../src/snapshot/io.js';
import { dockerSaveOf, tarOf } from '../collect/image-tar.js';
import { fuzzParameters, piecesOf, Tally, timeAllowance } from './support.js';

const compose = new Tally('Compose file');
const snapshots = new Tally('snapshot');
const archives = new Tally('image archive');
afterAll(() => {
  compose.report();
  snapshots.report();
  archives.report();
});

/** Runs `read`; anything thrown must be a DockauditError. */
function typedOrNothing(read: () => unknown): void {
  try {
    read();
  } catch (error) {
    if (!(error instanceof DockauditError)) throw error;
  }
}

const YAML_PIECES = [
  'services:\n', '  web:\n', '    image: nginx:1.27\n', '    privileged: true\n', '    ports: ["80:80", 1-3]\n', '    environment:\n', '      - A=${B:-${C}}\n', '      K: $$V\n',
  '    extends: web\n', '    extends: {service: web}\n', '    <<: *a\n', 'x-a: &a {user: root}\n', '*a', '&b ', '!!merge ', '!!binary ', '!!str ', '? ', ': ', '- ', '[', ']', '{', '}', ',',
  '"', "'", '|\n', '>-\n', '#', '\n', '  ', '\t', '---\n', '...\n', '%YAML 1.2\n', 'include:\n  - other.yaml\n', 'volumes:\n', '    volumes: ["/:/host", {type: bind, source: /}]\n',
  '    cap_add: [ALL]\n', '    network_mode: host\n', '    user: "0"\n', '    healthcheck: {test: [CMD, x]}\n', '${', '}', '${X?err}', '\u0000', '\ufeff',
];

/** Objects shaped like Compose files, with values of every JSON type in every place. */
const composeLike: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.jsonValue({ maxDepth: 2 }), tie('service'), fc.array(tie('value'), { maxLength: 4 })),
  service: fc.dictionary(
    fc.constantFrom('image', 'build', 'privileged', 'ports', 'volumes', 'environment', 'user', 'cap_add', 'network_mode', 'extends', 'depends_on', 'healthcheck', 'security_opt', 'deploy', 'x-any'),
    tie('value'),
    { maxKeys: 6 },
  ),
  root: fc.record({ services: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('service'), { maxKeys: 4 }) }, { requiredKeys: [] }),
})).root;

function readCompose(content: string): void {
  const files = [{ path: 'compose.yaml', kind: 'compose' as const, content }];
  const start = performance.now();
  typedOrNothing(() => {
    mergeComposeFiles(files);
    workloadsFromCompose(filesOnlySnapshot({ files }));
  });
  expect(performance.now() - start).toBeLessThan(timeAllowance(content.length));
}

describe('Compose reader on arbitrary input', () => {
  it('reads YAML-ish text into a project or problems, never an untyped throw', () => {
    fc.assert(
      fc.property(fc.oneof(piecesOf(YAML_PIECES, 80), fc.string({ maxLength: 300 })), (content) => {
        compose.add(Buffer.byteLength(content));
        readCompose(content);
      }),
      fuzzParameters(300),
    );
  });

  it('reads arbitrary Compose-shaped objects written as YAML', () => {
    fc.assert(
      fc.property(composeLike, (document) => {
        const content = dump(document, { noRefs: true });
        compose.add(Buffer.byteLength(content));
        readCompose(content);
      }),
      fuzzParameters(300),
    );
  });
});

describe('snapshot reader on arbitrary input', () => {
  const valid = serialiseSnapshot(filesOnlySnapshot({ files: [{ path: 'Dockerfile', kind: 'dockerfile', content: 'FROM debian:12\n' }] }));

  it('returns a snapshot or throws a SnapshotError for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const text = JSON.stringify(value) ?? 'null';
        snapshots.add(Buffer.byteLength(text));
        typedOrNothing(() => parseSnapshot(text, 'fuzz.json'));
      }),
      fuzzParameters(300),
    );
  });

  it('returns a snapshot or throws a SnapshotError for a valid snapshot with fields replaced', () => {
    const original = JSON.parse(valid) as Record<string, unknown>;
    const keys = Object.keys(original);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 })), { maxLength: 4 }), fc.nat(valid.length), (replacements, cut) => {
        const changed: Record<string, unknown> = { ...original };
        for (const [key, value] of replacements) changed[key] = value;
        const texts = [JSON.stringify(changed), valid.slice(0, cut)];
        for (const text of texts) {
          snapshots.add(Buffer.byteLength(text));
          typedOrNothing(() => parseSnapshot(text, 'fuzz.json'));
        }
      }),
      fuzzParameters(200),
    );
  });
});

/** Scans `bytes` as an archive: resolves, or rejects with a typed error, within a few seconds. */
async function scanOrTypedError(bytes: Uint8Array): Promise<void> {
  archives.add(bytes.length);
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), 5000);
  });
  const scan = scanArchiveStream(Readable.from([Buffer.from(bytes)]), 'fuzz.tar', new LayerCache()).then(
    () => 'done' as const,
    (error: unknown) => {
      if (error instanceof DockauditError) return 'typed' as const;
      throw error;
    },
  );
  try {
    expect(await Promise.race([scan, hung])).not.toBe('hung');
  } finally {
    clearTimeout(timer);
  }
}

describe('image archive reader on arbitrary input', () => {
  it('rejects random bytes with a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.uint8Array({ maxLength: 600 }).map((bytes) => new Uint8Array(gzipSync(bytes)))), scanOrTypedError),
      fuzzParameters(100),
    );
  });

  it('reads mutated image archives or rejects them with a typed error, never hanging', async () => {
    const layer = await tarOf([{ name: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' }, { name: 'bin/su', content: 'x', mode: 0o4755 }]);
    const { archive } = await dockerSaveOf([layer], { tags: ['fuzz:1'] });
    const mutation = fc.array(fc.tuple(fc.nat(archive.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(mutation, fc.nat(archive.length), fc.boolean(), async (changes, cut, gzip) => {
        const bytes = Buffer.from(archive.subarray(0, Math.max(cut, 512)));
        for (const [offset, value] of changes) if (offset < bytes.length) bytes[offset] = value;
        await scanOrTypedError(gzip ? gzipSync(bytes) : bytes);
      }),
      fuzzParameters(150),
    );
  });
});
