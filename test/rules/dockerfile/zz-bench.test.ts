import { it } from 'vitest';
import { FIXTURES, fixtureFiles, loadDockerfileRules, readFixture } from './support/expectations.js';
import { runRules } from '../../../src/engine/run.js';
import { DEFAULT_CONFIG } from '../../../src/engine/config.js';
import { snap } from '../../../src/snapshot/builder.js';
import { parseDockerfile } from '../../../src/snapshot/dockerfile.js';
it('bench', async () => {
  const rules = await loadDockerfileRules();
  const sources = fixtureFiles(FIXTURES).map((p) => readFixture(p));
  for (let round = 0; round < 3; round++) {
    const files = Array.from({ length: 1000 }, (_, i) => ({ path: `f${i}/Dockerfile`, kind: 'dockerfile' as const, content: sources[i % sources.length] + `\n# ${round} ${i}\n` }));
    const snapshot = snap().with((s) => { s.files = { files }; }).build();
    let cpu = process.cpuUsage(); let t = performance.now();
    for (const f of files) parseDockerfile(f.path, f.content);
    const parseCpu = process.cpuUsage(cpu); const parseWall = performance.now() - t;
    cpu = process.cpuUsage(); t = performance.now();
    const report = runRules(snapshot, rules, DEFAULT_CONFIG, { toolVersion: 't' });
    const c = process.cpuUsage(cpu);
    console.log(`round ${round}: parse only ${parseWall.toFixed(0)}ms wall ${((parseCpu.user + parseCpu.system) / 1000).toFixed(0)}ms cpu; parse+rules+engine ${(performance.now() - t).toFixed(0)}ms wall ${((c.user + c.system) / 1000).toFixed(0)}ms cpu, ${report.findings.length} findings`);
  }
}, 60000);
