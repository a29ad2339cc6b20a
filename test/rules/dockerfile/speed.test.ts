/**
 * A guard against pathological slowness (a regular expression or parser loop gone quadratic):
 * 1,000 Dockerfiles parsed and checked by every Dockerfile rule through the engine. The time is
 * printed; the bound is loose because the test machine is shared.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/engine/config.js';
import { runRules } from '../../../src/engine/run.js';
import { snap } from '../../helpers/builder.js';
import { FIXTURES, fixtureFiles, loadDockerfileRules, readFixture } from './support/expectations.js';
import { workloadsFromCompose } from '../../../src/views/from-compose.js';

describe('Dockerfile rules at scale', () => {
  it('parse and check 1,000 Dockerfiles in well under ten seconds of CPU', async () => {
    const rules = await loadDockerfileRules();
    const sources = fixtureFiles(FIXTURES).map(readFixture);
    const files = Array.from({ length: 1000 }, (_, index) => ({
      path: `app-${index}/Dockerfile`,
      kind: 'dockerfile' as const,
      content: `${sources[index % sources.length]}\n# copy ${index}\n`,
    }));
    const snapshot = snap()
      .with((s) => {
        s.files = { files };
      })
      .build();
    const before = process.cpuUsage();
    const report = runRules(snapshot, rules, DEFAULT_CONFIG, { toolVersion: 'test', fileWorkloads: workloadsFromCompose });
    const used = process.cpuUsage(before);
    const milliseconds = (used.user + used.system) / 1000;
    console.log(`1,000 Dockerfiles, ${rules.length} rules: ${milliseconds.toFixed(0)} ms CPU, ${report.findings.length} findings`);
    expect(report.findings.length).toBeGreaterThan(1000);
    expect(milliseconds).toBeLessThan(10_000);
  });
});
