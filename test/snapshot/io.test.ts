import { describe, expect, it } from 'vitest';
import { snap } from '../helpers/builder.js';
import { parseSnapshot, serialiseSnapshot } from '../../src/snapshot/io.js';
import { SnapshotError } from '../../src/errors.js';

describe('snapshot io', () => {
  it('round-trips a snapshot', () => {
    const snapshot = snap().container({ name: 'web' }).image().build();
    expect(parseSnapshot(serialiseSnapshot(snapshot), 'x.json')).toEqual(snapshot);
  });
  it('refuses invalid JSON, another schema version and a wrong shape with one line', () => {
    expect(() => parseSnapshot('{', 's.json')).toThrow(SnapshotError);
    expect(() => parseSnapshot('{"schemaVersion": 2}', 's.json')).toThrow(/schema version 2; this dockaudit reads version 1/);
    const broken = JSON.parse(serialiseSnapshot(snap().build())) as Record<string, unknown>;
    broken['containers'] = 'nope';
    expect(() => parseSnapshot(JSON.stringify(broken), 's.json')).toThrow(/s\.json is not a dockaudit snapshot: containers/);
  });
});
