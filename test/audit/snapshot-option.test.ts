/**
 * `audit({ snapshot })` from a program: what is not a snapshot object of this schema version is a
 * one-line SnapshotError, not a TypeError deep in a rule.
 */
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/index.js';
import { SnapshotError } from '../../src/errors.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { snap } from '../helpers/builder.js';

describe('the snapshot option of audit()', () => {
  it('refuses a path, null, an array and another schema version with one line', async () => {
    const cases: [unknown, string][] = [
      ['/tmp/snap.json', 'must be a snapshot object, not string (readSnapshot(path) reads a file)'],
      [['x'], 'not an array'],
      [{ schemaVersion: 999 }, 'has schema version 999'],
      [{}, 'has schema version undefined'],
    ];
    for (const [value, message] of cases) {
      const error = await audit({ snapshot: value as Snapshot }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, JSON.stringify(value)).toBeInstanceOf(SnapshotError);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('audits a snapshot object built in the program', async () => {
    const report = await audit({ snapshot: snap().build() });
    expect(report.findings.length).toBeGreaterThan(0);
  });
});
