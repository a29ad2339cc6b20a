import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { parseDocument, LineCounter } from 'yaml';
import { parseComposeTree } from '../../../src/snapshot/compose/tree.js';
import { validateCompose } from '../../../src/snapshot/compose/schema.js';
import { ROOT } from './expectations.js';

it('prof', () => {
  const corpus = join(ROOT, 'test/fixtures/compose/corpus');
  const sources = readdirSync(corpus).filter((n) => statSync(join(corpus, n)).isDirectory()).map((n) => readFileSync(join(corpus, n, 'docker-compose.yml'), 'utf8'));
  const texts = Array.from({ length: 1000 }, (_, i) => sources[i % sources.length] as string);
  const time = (label: string, fn: () => void) => { const s = process.cpuUsage(); fn(); const c = process.cpuUsage(s); console.log(label, ((c.user + c.system) / 1000).toFixed(0), 'ms'); };
  time('yaml parseDocument', () => { for (const t of texts) parseDocument(t, { lineCounter: new LineCounter(), merge: true }); });
  time('yaml parseDocument again', () => { for (const t of texts) parseDocument(t, { lineCounter: new LineCounter(), merge: true }); });
  time('toJS alias check', () => { for (const t of texts) { const d = parseDocument(t, { merge: true }); if (t.includes('*')) d.toJS({ maxAliasCount: 1000 }); } });
  let trees: ReturnType<typeof parseComposeTree>[] = [];
  time('parseComposeTree', () => { trees = texts.map((t, i) => parseComposeTree(`f${i}.yml`, t, () => undefined)); });
  validateCompose(trees[0]!.root!);
  time('validate', () => { for (const t of trees) if (t.root) validateCompose(t.root); });
});
