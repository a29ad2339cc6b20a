import { describe, expect, it } from 'vitest';
import { AdvisoryIndex, readOsvDocument } from '../../src/parsers/osv.js';
import { advisorySeverity, cvss2BaseScore, cvss3BaseScore, severityFromWord } from '../../src/parsers/osv-severity.js';

/** Shaped as Debian publishes its advisories through osv.dev. */
const DSA = {
  id: 'DSA-5678-1',
  upstream: ['CVE-2024-0727'],
  affected: [
    { package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.13-1~deb12u1' }] }] },
    { package: { ecosystem: 'Debian:11', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.1.1w-0+deb11u2' }] }] },
  ],
};

/** Shaped as Ubuntu publishes: a CVSS vector, the priority per package, and version lists. */
const UBUNTU = {
  id: 'UBUNTU-CVE-2024-0727',
  aliases: ['CVE-2024-0727'],
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H' }],
  affected: [
    {
      package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'openssl' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.2-0ubuntu1.14' }] }],
      versions: ['3.0.2-0ubuntu1', '3.0.2-0ubuntu1.13'],
      ecosystem_specific: { ubuntu_priority: 'low' },
    },
    { package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'edk2' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] },
  ],
};

describe('OSV documents', () => {
  it('reads each affected package of each release, with upstream ids as aliases', () => {
    const reading = readOsvDocument(DSA);
    expect(reading.kind).toBe('entries');
    if (reading.kind !== 'entries') return;
    expect(reading.entries.map((entry) => `${entry.ecosystem}/${entry.name}`)).toEqual(['Debian:12/openssl', 'Debian:11/openssl']);
    expect(reading.entries[0]?.advisory).toEqual({
      id: 'DSA-5678-1',
      aliases: ['CVE-2024-0727'],
      ranges: [[{ kind: 'introduced', version: '0' }, { kind: 'fixed', version: '3.0.13-1~deb12u1' }]],
      versions: [],
    });
  });

  it("prefers the distribution's own rating to a CVSS vector", () => {
    const reading = readOsvDocument(UBUNTU);
    if (reading.kind !== 'entries') throw new Error('unreadable');
    expect(reading.entries[0]?.advisory).toMatchObject({ severity: 'low', severityText: 'Ubuntu priority low' });
    expect(reading.entries[1]?.advisory).toMatchObject({ severity: 'medium', severityText: 'CVSS 5.5' });
  });

  it('drops withdrawn advisories and ranges of other types, and says why a document is unreadable', () => {
    expect(readOsvDocument({ ...DSA, withdrawn: '2024-01-01T00:00:00Z' })).toEqual({ kind: 'withdrawn' });
    expect(readOsvDocument([])).toEqual({ kind: 'unreadable', reason: 'not a JSON object' });
    expect(readOsvDocument({ affected: [] })).toEqual({ kind: 'unreadable', reason: 'no "id"' });
    expect(readOsvDocument({ id: 'X-1' })).toEqual({ kind: 'unreadable', reason: 'X-1: no "affected" list' });
    const git = readOsvDocument({ id: 'X-2', affected: [{ package: { ecosystem: 'Debian:12', name: 'a' }, ranges: [{ type: 'GIT', events: [{ introduced: 'abc' }] }] }] });
    expect(git).toEqual({ kind: 'entries', entries: [] });
  });

  it('scores CVSS vectors by the 3.x and 2.0 base equations', () => {
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe(9.8);
    // Words and metrics named like the properties of every object are not ratings.
    expect(cvss3BaseScore('CVSS:3.1/AV:constructor/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBeUndefined();
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:__proto__/I:H/A:H')).toBeUndefined();
    expect(cvss2BaseScore('AV:N/AC:valueOf/Au:N/C:P/I:P/A:P')).toBeUndefined();
    for (const word of ['constructor', '__proto__', 'hasOwnProperty']) {
      expect(severityFromWord(word)).toBeUndefined();
      expect(advisorySeverity({ database_specific: { severity: word }, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }, {})).toEqual({ severity: 'critical', text: 'CVSS 9.8' });
    }
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')).toBe(10);
    expect(cvss3BaseScore('CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N')).toBe(6.4);
    expect(cvss3BaseScore('CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H')).toBe(5.5);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')).toBe(0);
    expect(cvss3BaseScore('CVSS:3.1/AV:X/AC:L')).toBeUndefined();
    expect(cvss2BaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toBe(7.5);
    expect(cvss2BaseScore('AV:N/AC:M/Au:N/C:N/I:P/A:N')).toBe(4.3);
  });

  it('reads the words publishers use', () => {
    expect(advisorySeverity({ database_specific: { severity: 'HIGH' } }, {})).toEqual({ severity: 'high', text: 'severity high' });
    expect(advisorySeverity({ database_specific: { severity: 'MODERATE' } }, {})).toEqual({ severity: 'medium', text: 'severity moderate' });
    expect(advisorySeverity({ severity: [{ type: 'Ubuntu', score: 'medium' }] }, {})).toEqual({ severity: 'medium', text: 'Ubuntu medium' });
    expect(advisorySeverity({ database_specific: { urgency: 'not yet assigned' } }, {})).toBeUndefined();
  });
});

describe('the advisory index', () => {
  it('keeps the packages it is asked for, counts every ecosystem and every unreadable document', () => {
    const index = new AdvisoryIndex((_ecosystem, name) => name === 'openssl');
    index.addDocument(DSA);
    index.addDocument(UBUNTU);
    index.addDocument('garbage');
    expect(index.documents).toBe(3);
    expect(index.lookup('Debian:12', 'openssl').map((advisory) => advisory.id)).toEqual(['DSA-5678-1']);
    expect(index.lookup('Ubuntu:22.04:LTS', 'edk2')).toEqual([]);
    expect(Object.fromEntries(index.ecosystems)).toEqual({ 'Debian:12': 1, 'Debian:11': 1, 'Ubuntu:22.04:LTS': 1 });
    expect(index.unreadable).toEqual({ count: 1, examples: ['not a JSON object'] });
  });
});
