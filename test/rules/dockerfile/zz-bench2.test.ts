import { it } from 'vitest';
import { FIXTURES, fixtureFiles, loadDockerfileRules, readFixture } from './support/expectations.js';
import { snap } from '../../../src/snapshot/builder.js';
import { dockerfilesOf } from '../../../src/snapshot/dockerfile.js';
it('bench', async () => {
  const rules = await loadDockerfileRules();
  const sources = fixtureFiles(FIXTURES).map((p) => readFixture(p));
  for (let round = 0; round < 3; round++) {
    const files = Array.from({ length: 1000 }, (_, i) => ({ path: `f${i}/Dockerfile`, kind: 'dockerfile' as const, content: sources[i % sources.length] + `\n# ${round} ${i}\n` }));
    const snapshot = snap().with((s) => { s.files = { files }; }).build();
    let t = performance.now();
    dockerfilesOf(snapshot);
    const times: string[] = [`parse ${(performance.now() - t).toFixed(0)}`];
    for (const rule of rules) {
      t = performance.now();
      rule.check({ snapshot, workloads: [], options: rule.meta.id === 'DA806' ? { allowedRegistries: ['docker.io'] } : {} });
      times.push(`${rule.meta.id} ${(performance.now() - t).toFixed(0)}`);
    }
    console.log(times.join(' '));
  }
}, 60000);
