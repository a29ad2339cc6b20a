import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { filesOnlySnapshot } from '../../../src/collect/index.js';
import { DEFAULT_CONFIG } from '../../../src/engine/config.js';
import { runRules } from '../../../src/engine/run.js';
import { loadRules } from '../../../src/rules/registry.js';
import type { SourceFile } from '../../../src/snapshot/files.js';
import { composeProjectsOf } from '../../../src/snapshot/compose.js';
import { workloadsOf } from '../../../src/snapshot/workloads.js';
import { ROOT } from './expectations.js';

it('prof2', async () => {
  const corpus = join(ROOT, 'test/fixtures/compose/corpus');
  const sources = readdirSync(corpus).filter((n) => statSync(join(corpus, n)).isDirectory()).map((n) => readFileSync(join(corpus, n, 'docker-compose.yml'), 'utf8'));
  const files: SourceFile[] = Array.from({ length: 1000 }, (_, i) => ({ path: `p${i}/docker-compose.yml`, kind: 'compose', content: sources[i % sources.length] as string }));
  const all = await loadRules();
  const rules = all.filter((r) => r.meta.needs.every((n) => n === 'files' || n === 'containers'));
  const snapshot = filesOnlySnapshot({ files });
  let s = process.cpuUsage();
  composeProjectsOf(snapshot);
  let c = process.cpuUsage(s); console.log('analysis', ((c.user + c.system) / 1000).toFixed(0));
  s = process.cpuUsage();
  const w = workloadsOf(snapshot);
  c = process.cpuUsage(s); console.log('workloads', w.length, ((c.user + c.system) / 1000).toFixed(0));
  const times: [string, number][] = [];
  for (const rule of rules) {
    s = process.cpuUsage();
    runRules(snapshot, [rule], DEFAULT_CONFIG, { toolVersion: 'b' });
    c = process.cpuUsage(s);
    times.push([rule.meta.id, (c.user + c.system) / 1000]);
  }
  times.sort((a, b) => b[1] - a[1]);
  console.log(times.slice(0, 12).map(([id, t]) => `${id} ${t.toFixed(0)}`).join('\n'));
}, 120000);
