import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixDaemonJson } from '../../src/audit/fix.js';
import { ConfigError } from '../../src/errors.js';
import { snap } from '../helpers/builder.js';

const directory = mkdtempSync(join(tmpdir(), 'dockaudit-daemon-json-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function daemonJson(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

/** A daemon with icc on: DA202 asks for `"icc": false`. */
const snapshot = snap().daemon({ settings: {} }).build();

describe('fix daemon-json with a hostile daemon.json', () => {
  it('refuses JSON nested deeper than any daemon setting, with a ConfigError rather than a stack overflow', async () => {
    const depth = 200_000;
    const path = daemonJson('deep.json', `{"x":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const attempt = fixDaemonJson({ snapshot, file: path });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(fixDaemonJson({ snapshot, file: path })).rejects.toThrow(/nested more than 1000 levels deep/);
    // Brackets inside strings are text, not nesting.
    const quoted = daemonJson('quoted.json', JSON.stringify({ labels: ['['.repeat(depth)] }));
    expect((await fixDaemonJson({ snapshot, file: quoted })).text).toContain('"labels"');
  });

  it('keeps a __proto__ key as a key, without touching any prototype', async () => {
    const path = daemonJson('proto.json', '{"__proto__": {"polluted": true, "icc": false}, "constructor": {"prototype": {"polluted": true}}}');
    const result = await fixDaemonJson({ snapshot, file: path });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const written = JSON.parse(result.text) as Record<string, unknown>;
    expect(Object.getOwnPropertyNames(written).slice(0, 2)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(written)).toBe(Object.prototype);
    expect(written['icc']).toBe(false);
    expect(result.changes.map((change) => change.key)).toContain('icc');
  });

  it('reads a file with a byte order mark or comments as dockerd does: not at all, and leaves it alone', async () => {
    const bom = daemonJson('bom.json', '\ufeff{"icc": true}');
    const comments = daemonJson('comments.json', '{\n  // dockerd reads no comments\n  "icc": true\n}');
    await expect(fixDaemonJson({ snapshot, file: bom })).rejects.toBeInstanceOf(ConfigError);
    await expect(fixDaemonJson({ snapshot, file: comments })).rejects.toBeInstanceOf(ConfigError);
    expect(readFileSync(bom, 'utf8')).toBe('\ufeff{"icc": true}');
  });
});

describe('fix daemon-json with a hostile daemon configuration path', () => {
  it('refuses a daemon.json path that leaves the host root or is not absolute', async () => {
    const hostRoot = join(directory, 'root');
    for (const named of ['/../../../outside.json', 'relative/daemon.json', '/etc/docker/../../..']) {
      const hostile = snap().daemon({ settings: {} }).build();
      if (hostile.daemon && 'config' in hostile.daemon && hostile.daemon.config && 'configFile' in hostile.daemon.config) hostile.daemon.config.configFile.path = named;
      await expect(fixDaemonJson({ snapshot: hostile, hostRoot })).rejects.toThrow(/which is not a file under/);
    }
    const fine = snap().daemon({ settings: {} }).build();
    expect((await fixDaemonJson({ snapshot: fine, hostRoot })).path).toBe(join(hostRoot, 'etc/docker/daemon.json'));
  });
});
