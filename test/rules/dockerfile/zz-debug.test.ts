import { it } from 'vitest';
import { FIXTURES, fixtureFiles, loadDockerfileRules, readFixture, runOnContent } from './support/expectations.js';
it('dump', async () => {
  const rules = await loadDockerfileRules();
  for (const path of fixtureFiles(FIXTURES).filter((p) => p.startsWith(process.env.FIX ?? 'failing/'))) {
    const findings = runOnContent(rules, path, readFixture(path));
    console.log('==', path);
    for (const f of findings) if (f.status !== 'pass' && f.status !== 'skipped') console.log(`  ${f.location?.line ?? 'file'} ${f.ruleId} ${f.status}${f.suppressed ? ' (suppressed: ' + f.suppressed.reason + ')' : ''} ${f.message}`);
  }
});
