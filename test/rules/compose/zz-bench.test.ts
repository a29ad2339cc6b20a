import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { filesOnlySnapshot } from '../../../src/collect/index.js';
import { DEFAULT_CONFIG } from '../../../src/engine/config.js';
import { runRules } from '../../../src/engine/run.js';
import { loadRules } from '../../../src/rules/registry.js';
import type { SourceFile } from '../../../src/snapshot/files.js';
import { composeProjectsOf } from '../../../src/snapshot/compose.js';
import { ROOT } from './expectations.js';

it('bench', async () => {
  const corpus = join(ROOT, 'test/fixtures/compose/corpus');
  const sources = readdirSync(corpus).filter((n) => statSync(join(corpus, n)).isDirectory()).map((n) => readFileSync(join(corpus, n, 'docker-compose.yml'), 'utf8'));
  const files: SourceFile[] = Array.from({ length: 1000 }, (_, i) => ({ path: `p${i}/docker-compose.yml`, kind: 'compose', content: sources[i % sources.length] as string }));
  const all = await loadRules();
  const rules = all.filter((r) => r.meta.needs.every((n) => n === 'files' || n === 'containers'));
  const warm = filesOnlySnapshot({ files: files.slice(0, 5) });
  runRules(warm, rules, DEFAULT_CONFIG, { toolVersion: 'b' });
  for (const mode of ['parse', 'all', 'composeOnly']) {
    const snapshot = filesOnlySnapshot({ files: files.map((f) => ({ ...f })) });
    const start = process.cpuUsage();
    const t = performance.now();
    let n = 0;
    if (mode === 'parse') n = composeProjectsOf(snapshot).projects.length;
    else n = runRules(snapshot, mode === 'all' ? rules : rules.filter((r) => r.meta.family === 'compose' || r.meta.family === 'container'), DEFAULT_CONFIG, { toolVersion: 'b' }).findings.length;
    const cpu = process.cpuUsage(start);
    console.log(`${mode}: ${n} items, wall ${(performance.now() - t).toFixed(0)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, rules ${rules.length}`);
  }
}, 120_000);
