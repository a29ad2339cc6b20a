import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { filesOnlySnapshot } from '../../../src/collect/index.js';
import type { SourceFile } from '../../../src/snapshot/files.js';
import { composeProjectsOf } from '../../../src/snapshot/compose.js';
import { workloadsFromCompose } from '../../../src/snapshot/from-compose.js';
import { ROOT } from './expectations.js';

it('prof3', async () => {
  const corpus = join(ROOT, 'test/fixtures/compose/corpus');
  const sources = readdirSync(corpus).filter((n) => statSync(join(corpus, n)).isDirectory()).map((n) => readFileSync(join(corpus, n, 'docker-compose.yml'), 'utf8'));
  const files: SourceFile[] = Array.from({ length: 1000 }, (_, i) => ({ path: `p${i}/docker-compose.yml`, kind: 'compose', content: sources[i % sources.length] as string }));
  const snapshot = filesOnlySnapshot({ files });
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  composeProjectsOf(snapshot);
  for (let i = 0; i < 3; i++) workloadsFromCompose(snapshot);
  const { profile } = await session.post('Profiler.stop');
  const self = new Map<string, number>();
  const nodes = new Map(profile.nodes.map((n: any) => [n.id, n]));
  const dt = profile.timeDeltas; let idx = 0;
  for (const sample of profile.samples) { const n: any = nodes.get(sample); const key = `${n.callFrame.functionName} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; self.set(key, (self.get(key) ?? 0) + (dt[idx++] ?? 0)); }
  console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${(v / 1000).toFixed(0)}ms ${k}`).join('\n'));
}, 120000);
