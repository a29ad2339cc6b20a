import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { formatCheckstyle } from '../../src/report/checkstyle.js';
import { formatGithub } from '../../src/report/github.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { formatText } from '../../src/report/text.js';
import { smallReport } from './report-fixtures.js';

it('probe', async () => {
  const report = await smallReport();
  const f = report.findings.find((x) => x.status === 'fail')!;
  const evil = 'a\uffff b\ufffe c\ud800 d]]> e%0A f\r\n::error::forged g![i](http://evil.example/p.png) h<img src=x> i@org/team j#12 k<https://x.y> l[r]: http://evil m&#64;n o\u0085p q\u2028r s:tada: t$x^2$ u<!-- v';
  f.message = evil;
  f.subject = { ...f.subject, name: evil };
  f.location = { file: `dir/${evil}.yaml`, line: 3, column: 2 };
  f.target = evil;
  report.findings = [f];
  writeFileSync('/tmp/probe/checkstyle.xml', formatCheckstyle(report));
  writeFileSync('/tmp/probe/github.txt', formatGithub(report));
  writeFileSync('/tmp/probe/md.md', formatMarkdown(report));
  writeFileSync('/tmp/probe/text.txt', formatText(report, { color: false, showPassed: false }));
});
