import { it } from 'vitest';
import { lintFindings } from './expectations.js';
it('debug', async () => {
  const dirs = (process.env.DIRS ?? '').split(',');
  const findings = await lintFindings(dirs);
  for (const f of findings) {
    if (process.env.ALL !== '1' && !['fail','warn','manual','error','info'].includes(f.status)) continue;
    console.log(`${f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : '-'} ${f.ruleId} ${f.status} ${f.subject.name}: ${f.message}`);
  }
});
