/**
 * The SARIF output against what SARIF 2.1.0 requires of the parts we write (no schema file is
 * at hand offline, so the rules are checked one by one): a report of two daemons with findings
 * on files (one path needing escapes in a URI), on hosts and containers, and suppressed ones,
 * by a comment in the file and by the config.
 */
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/pipeline.js';
import { filesOnlySnapshot } from '../../src/collect/source-files-only.js';
import { configSchema } from '../../src/engine/config.js';
import type { Report } from '../../src/engine/report.js';
import { mergeReports } from '../../src/engine/run.js';
import { formatSarif } from '../../src/report/sarif.js';
import { snap } from '../helpers/builder.js';

const DOCKERFILE = ['FROM debian:12', '# dockaudit ignore=DA810 the build needs it here', 'RUN sudo apt-get update', 'RUN sudo make install', 'USER root', ''].join('\n');
const COMPOSE = ['services:', '  web:', '    image: nginx:1.25', '    privileged: true', ''].join('\n');
const config = configSchema.parse({ ignore: [{ rule: '*', path: 'vendor/*', reason: 'vendored' }] });

async function report(): Promise<Report> {
  const a = await audit({ snapshot: snap().daemon({ settings: { 'log-level': 'debug' } }).container({ name: 'web', hostConfig: { Privileged: true } }).build(), config, worker: 'off' });
  const b = await audit({ snapshot: snap().container({ name: 'web', hostConfig: { CapAdd: ['SYS_ADMIN'] } }).build(), config, worker: 'off' });
  const files = await audit({
    snapshot: filesOnlySnapshot({
      files: [
        { path: 'app/Dockerfile', kind: 'dockerfile', content: DOCKERFILE },
        { path: 'deploy/my app#1/compose 100%.yaml', kind: 'compose', content: COMPOSE },
        { path: 'vendor/x/Dockerfile', kind: 'dockerfile', content: 'FROM debian:12\nRUN sudo true\n' },
      ],
    }),
    config,
    worker: 'off',
  });
  return mergeReports(
    [
      { label: 'alpha', summary: { address: 'unix:///run/a.sock', context: 'alpha', name: 'a', version: '27.0.0', reachable: true }, report: a },
      { label: 'beta', summary: { address: 'unix:///run/b.sock', context: 'beta', name: 'b', version: '27.0.0', reachable: true }, report: b },
    ],
    files,
    '0.0.0',
  );
}

interface Sarif {
  $schema: unknown;
  version: unknown;
  runs: {
    tool: { driver: { name: unknown; rules: { id: unknown; properties?: { tags?: unknown[] } }[] } };
    results: {
      ruleId: unknown;
      ruleIndex: unknown;
      level: unknown;
      message: { text?: unknown };
      locations: { physicalLocation?: { artifactLocation: { uri: unknown }; region: { startLine: unknown; startColumn?: unknown } }; logicalLocations?: { name?: unknown; fullyQualifiedName?: unknown }[] }[];
      partialFingerprints?: Record<string, unknown>;
      suppressions?: { kind: unknown; justification?: unknown }[];
    }[];
  }[];
}

/** A relative reference (RFC 3986, 4.2) with nothing that needs percent-encoding left raw. */
const RELATIVE_URI = /^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!\/)([A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})+$/;

describe('sarif structure (SARIF 2.1.0)', () => {
  it('has what the specification requires of every part written', async () => {
    const built = await report();
    const sarif = JSON.parse(formatSarif(built)) as Sarif;
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/^https:\/\/.+sarif-2\.1\.0.*\.json$/);
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0]!;
    expect(run.tool.driver.name).toBe('dockaudit');
    const ids = run.tool.driver.rules.map((rule) => rule.id);
    expect(ids.every((id) => typeof id === 'string' && id !== '')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of run.tool.driver.rules) {
      // A property bag's tags are unique strings (3.8.2).
      const tags = rule.properties?.tags ?? [];
      expect(tags.every((tag) => typeof tag === 'string')).toBe(true);
      expect(new Set(tags).size, `tags of ${String(rule.id)}`).toBe(tags.length);
    }
    expect(run.results.length).toBeGreaterThan(5);
    const kinds = new Set<unknown>();
    let physical = 0;
    let logical = 0;
    for (const result of run.results) {
      expect(typeof result.ruleId).toBe('string');
      expect(ids).toContain(result.ruleId);
      expect(result.ruleIndex).toBe(ids.indexOf(result.ruleId));
      expect(['none', 'note', 'warning', 'error']).toContain(result.level);
      expect(typeof result.message.text).toBe('string');
      expect(result.locations.length).toBeGreaterThan(0);
      for (const location of result.locations) {
        if (location.physicalLocation !== undefined) {
          physical += 1;
          const { artifactLocation, region } = location.physicalLocation;
          expect(artifactLocation.uri).toMatch(RELATIVE_URI);
          expect(Number.isInteger(region.startLine) && (region.startLine as number) >= 1).toBe(true);
          if (region.startColumn !== undefined) expect(Number.isInteger(region.startColumn) && (region.startColumn as number) >= 1).toBe(true);
        } else {
          logical += 1;
          expect(location.logicalLocations?.length).toBeGreaterThan(0);
        }
      }
      for (const value of Object.values(result.partialFingerprints ?? {})) expect(typeof value).toBe('string');
      for (const suppression of result.suppressions ?? []) {
        expect(['inSource', 'external']).toContain(suppression.kind);
        kinds.add(suppression.kind);
        if (suppression.justification !== undefined) expect(typeof suppression.justification).toBe('string');
      }
    }
    expect(physical).toBeGreaterThan(0);
    expect(logical).toBeGreaterThan(0);
    expect([...kinds].sort()).toEqual(['external', 'inSource']);
    // The file whose name needs escapes is named by its escaped path, and found again by decoding it.
    const uris = run.results.flatMap((result) => result.locations.map((location) => location.physicalLocation?.artifactLocation.uri)).filter((uri): uri is string => typeof uri === 'string');
    expect(uris).toContain('deploy/my%20app%231/compose%20100%25.yaml');
    expect(uris.map((uri) => decodeURIComponent(uri))).toContain('deploy/my app#1/compose 100%.yaml');
    // Both daemons' results are there, each named in its logical location.
    const qualified = run.results.flatMap((result) => result.locations.flatMap((location) => location.logicalLocations ?? []).map((entry) => entry.fullyQualifiedName));
    expect(qualified.some((name) => typeof name === 'string' && name.startsWith('alpha/'))).toBe(true);
    expect(qualified.some((name) => typeof name === 'string' && name.startsWith('beta/'))).toBe(true);
  });
});

describe('artifactUri', () => {
  it('percent-encodes each segment, keeps a relative path relative and makes an absolute one a file URI', async () => {
    const { artifactUri } = await import('../../src/report/sarif.js');
    expect(artifactUri('app/Dockerfile')).toBe('app/Dockerfile');
    expect(artifactUri('a b/c?d#e%f')).toBe('a%20b/c%3Fd%23e%25f');
    expect(artifactUri('c:x/Dockerfile')).toBe('c%3Ax/Dockerfile');
    expect(artifactUri('/srv/app one/Dockerfile')).toBe('file:///srv/app%20one/Dockerfile');
  });
});
