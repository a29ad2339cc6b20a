/**
 * The advisory readers against arbitrary input: an OSV document of any shape is read or said to
 * be unreadable, never a crash; version comparisons take any strings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdvisoryIndex, readOsvDocument } from '../../src/parsers/osv.js';
import { parseChallenge } from '../../src/collect/registry/index.js';
import { compareApkVersions } from '../../src/parsers/versions/apk.js';
import { compareDpkgVersions } from '../../src/parsers/versions/dpkg.js';
import { inRange } from '../../src/views/vulnerabilities.js';

const event = fc.record({ introduced: fc.option(fc.string(), { nil: undefined }), fixed: fc.option(fc.string(), { nil: undefined }), last_affected: fc.option(fc.anything(), { nil: undefined }) });
const shaped = fc.record({
  id: fc.oneof(fc.string(), fc.anything()),
  aliases: fc.oneof(fc.array(fc.string()), fc.anything()),
  severity: fc.oneof(fc.array(fc.record({ type: fc.constantFrom('CVSS_V3', 'CVSS_V2', 'Ubuntu', 'x'), score: fc.oneof(fc.string(), fc.constant('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')) })), fc.anything()),
  affected: fc.oneof(
    fc.array(fc.record({ package: fc.record({ ecosystem: fc.constantFrom('Debian:12', 'Alpine:v3.19', ''), name: fc.string() }), ranges: fc.array(fc.record({ type: fc.constantFrom('ECOSYSTEM', 'GIT'), events: fc.array(event) })), versions: fc.anything() })),
    fc.anything(),
  ),
});

describe('OSV readers on arbitrary input', () => {
  it('read any document or say why not, and index it', () => {
    fc.assert(
      fc.property(fc.oneof(shaped, fc.anything()), (document) => {
        const reading = readOsvDocument(document);
        expect(['entries', 'withdrawn', 'unreadable']).toContain(reading.kind);
        new AdvisoryIndex().addDocument(document);
      }),
      { numRuns: 2000 },
    );
  });

  it('compare any versions, and match any range', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.array(fc.record({ kind: fc.constantFrom('introduced', 'fixed', 'last_affected', 'limit'), version: fc.string() } as const)), (a, b, events) => {
        expect([-1, 0, 1]).toContain(compareDpkgVersions(a, b));
        expect([-1, 0, 1]).toContain(compareApkVersions(a, b));
        inRange(a, events, compareDpkgVersions);
        inRange(a, events, compareApkVersions);
      }),
      { numRuns: 2000 },
    );
  });

  it('read any authentication challenge', () => {
    fc.assert(fc.property(fc.string(), (header) => typeof parseChallenge(header).scheme === 'string'));
  });
});
