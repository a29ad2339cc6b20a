import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/engine/report.js';
import { escapeXmlAttribute, formatCheckstyle } from '../../src/report/checkstyle.js';
import { escapeGithubData, escapeGithubProperty, formatGithub } from '../../src/report/github.js';
import { formatGitlab } from '../../src/report/gitlab.js';
import { escapeMarkdownCell, formatMarkdown } from '../../src/report/markdown.js';
import { HOSTILE_NAME, largeReport, smallReport } from './report-fixtures.js';

const report = await smallReport();
const actionable = report.findings.filter((finding) => ['fail', 'warn', 'error'].includes(finding.status) && !finding.suppressed);
/** C0 (but the line feed), DEL, C1 and the bidi and line-separator characters escape.ts names. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('markdown', () => {
  it('escapes table, HTML, code, emphasis, mention, reference and link syntax in a cell', () => {
    expect(escapeMarkdownCell('a|b`c<d>&"e"*f*_g_[h](i)~j~\\k')).toBe('a\\|b\\`c&lt;d&gt;&amp;&quot;e&quot;\\*f\\*\\_g\\_\\[h\\](i)\\~j\\~\\\\k');
    expect(escapeMarkdownCell('@octocat #12 https://evil.example www.evil.example')).toBe('@&#8203;octocat #&#8203;12 https:&#8203;//evil.example www&#8203;.evil.example');
    expect(escapeMarkdownCell('one\ntwo\r\u001b[2J')).toBe('one\\\\ntwo\\\\r\\\\x1b\\[2J');
    // GitHub renders $…$ as math: a name cannot draw formulas over the table.
    expect(escapeMarkdownCell('$\\huge{x}$ $$y$$')).toBe('\\$\\\\huge{x}\\$ \\$\\$y\\$\\$');
  });

  it('has a summary, a counts table per section and one table of findings per section, each row one line', () => {
    const markdown = formatMarkdown(report);
    expect(markdown).toMatch(/^## dockaudit report\n/);
    expect(markdown).toContain('| | fail | warn | manual | info | skipped | pass | ignored |');
    const containers = report.findings.filter((finding) => finding.family === 'container');
    const count = (status: string): number => containers.filter((finding) => finding.status === status && !finding.suppressed).length;
    expect(markdown).toContain(`| Containers | ${count('fail')} | ${count('warn')} | ${count('manual')} | ${count('info')} | ${count('skipped')} | ${count('pass')} | 0 |`);
    expect(markdown).toContain('### Containers\n\n| status | severity | rule | subject | location | message |');
    const rows = markdown.split('\n').filter((line) => line.startsWith('| **'));
    expect(rows).toHaveLength(actionable.length);
    // Every row has as many cells as the header: no pipe from a name splits a cell.
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(8);
    expect(markdown).toContain('| compose-service a\\|b\\`c&lt;d&gt; | deploy/compose.yaml:8:5 |');
    expect(markdown).toContain('container &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(markdown).not.toContain(HOSTILE_NAME);
    expect(markdown).not.toMatch(RAW_CONTROL);
  });

  it('stays under its size with a line counting the findings left out', () => {
    const large = largeReport(report, 5_000);
    const markdown = formatMarkdown(large);
    expect(markdown.length).toBeLessThanOrEqual(60_000);
    const shown = markdown.split('\n').filter((line) => line.startsWith('| **')).length;
    const total = large.findings.filter((finding) => ['fail', 'warn', 'error'].includes(finding.status)).length;
    expect(shown).toBeGreaterThan(100);
    expect(markdown.trimEnd().split('\n').at(-1)).toBe(`… and ${total - shown} more findings not shown here (the size of a comment is limited); see the full report (--format json or html).`);
    expect(markdown).toContain('### By target');
    const small = formatMarkdown(large, { maxChars: 5_000 });
    expect(small.length).toBeLessThanOrEqual(5_000);
  });
});

describe('github annotations', () => {
  it('escapes %, CR and LF in messages, and : and , in properties too', () => {
    expect(escapeGithubData('100% a\r\nb')).toBe('100%25 a\\r%0Ab');
    expect(escapeGithubProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    expect(escapeGithubData('\u001b]0;x\u0007::error::forged')).toBe('\\x1b]0;x\\x07::error::forged');
  });

  it('writes one command per actionable finding, on one line each, files with their place', () => {
    const lines = formatGithub(report).trimEnd().split('\n');
    const commands = lines.filter((line) => line.startsWith('::'));
    expect(commands).toHaveLength(actionable.length);
    expect(commands).toContain(
      '::error file=deploy/compose.yaml,line=4,col=5,title=DA505 Containers are not privileged::compose-service web: compose-service runs privileged (state: defined) (critical)%0Afix: Remove --privileged (privileged: true); add only the capabilities and devices the workload needs.',
    );
    expect(commands.some((line) => line.startsWith('::warning title=DA556 ') && line.includes('container quiet\\x1b[2J\\nline:'))).toBe(true);
    expect(commands.filter((line) => line.startsWith('::error title=DA111 Docker Engine%2C containerd'))).toHaveLength(3);
    expect(lines.at(-1)).toMatch(/^dockaudit: \d+ findings, \d+ failing or in error, \d+ warnings$/);
    expect(lines.join('\n')).not.toMatch(RAW_CONTROL);
  });

  it('names a property with a colon or comma in it without ending the property list', () => {
    const finding: Finding = { ...actionable.find((entry) => entry.location !== undefined)!, location: { file: 'a,b:c.yaml', line: 3 } };
    const text = formatGithub({ ...report, findings: [finding] });
    expect(text).toContain('::error file=a%2Cb%3Ac.yaml,line=3,title=');
  });
});

describe('gitlab code quality', () => {
  type Issue = { description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } };
  const issues = JSON.parse(formatGitlab(report)) as Issue[];

  it('lists each actionable finding with a GitLab severity and a path', () => {
    expect(issues).toHaveLength(actionable.length);
    expect(issues).toContainEqual(expect.objectContaining({ check_name: 'DA505 container-privileged', severity: 'blocker', location: { path: 'deploy/compose.yaml', lines: { begin: 4 } } }));
    expect(issues.find((issue) => issue.description.includes(HOSTILE_NAME))?.location.path).toBe(`docker/host/container/${HOSTILE_NAME}`);
    expect(new Set(issues.map((issue) => issue.severity))).toEqual(new Set(['blocker', 'critical', 'major', 'minor']));
  });

  it('gives unique fingerprints that do not move with line numbers', () => {
    expect(new Set(issues.map((issue) => issue.fingerprint)).size).toBe(issues.length);
    const moved: Report = { ...report, findings: report.findings.map((finding) => (finding.location ? { ...finding, location: { ...finding.location, line: finding.location.line + 10 } } : finding)) };
    const again = JSON.parse(formatGitlab(moved)) as Issue[];
    expect(again.map((issue) => issue.fingerprint)).toEqual(issues.map((issue) => issue.fingerprint));
    // Without the report's own fingerprints, another message is another finding.
    const bare: Report = { ...report, findings: report.findings.map(({ fingerprint: _carried, ...finding }) => finding) };
    const bareIssues = JSON.parse(formatGitlab(bare)) as Issue[];
    const changed: Report = { ...bare, findings: bare.findings.map((finding) => ({ ...finding, message: `${finding.message}!` })) };
    expect((JSON.parse(formatGitlab(changed)) as Issue[])[0]!.fingerprint).not.toBe(bareIssues[0]!.fingerprint);
  });

  it("uses the report's own fingerprints when it carries them", () => {
    const carried = new Set(report.findings.map((finding) => finding.fingerprint).filter((value) => value !== undefined));
    expect(carried.size).toBeGreaterThan(0);
    for (const issue of issues) expect(carried.has(issue.fingerprint) || issue.fingerprint.length === 64).toBe(true);
    expect(issues.filter((issue) => carried.has(issue.fingerprint)).length).toBeGreaterThan(0);
  });

  it('uses a fingerprint the report carries', () => {
    const large = largeReport(report, 300);
    const fingerprints = (JSON.parse(formatGitlab(large)) as Issue[]).map((issue) => issue.fingerprint);
    expect(fingerprints.every((fingerprint) => /^fp[0-9a-f]{12}$/.test(fingerprint))).toBe(true);
  });
});

describe('checkstyle', () => {
  it('escapes attribute values, control characters included', () => {
    expect(escapeXmlAttribute(`<a href="x">&'\u0001\n`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;\\x01\\n');
  });

  it('writes no character XML 1.0 cannot carry (U+FFFE, U+FFFF, a lone surrogate), so the whole file still parses', () => {
    expect(escapeXmlAttribute('a\ufffeb\uffffc\ud800d\udc00e\ud83d\ude00f]]>')).toBe('a\\ufffeb\\uffffc\\ud800d\\udc00e\ud83d\ude00f]]&gt;');
    const hostile: Report = { ...report, findings: [{ ...actionable[0]!, message: 'x\uffff\ud800y', location: { file: 'a\ufffe.yaml', line: 1 } }] };
    expect(formatCheckstyle(hostile)).not.toMatch(/[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  it('files findings under their file or a docker/ path, with line and column', () => {
    const xml = formatCheckstyle(report);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">')).toBe(true);
    expect(xml).toContain('<file name="deploy/compose.yaml">');
    expect(xml).toContain('<error line="4" column="5" severity="error" message="compose-service web: compose-service runs privileged (state: defined)" source="dockaudit.DA505.container-privileged"/>');
    expect(xml).toContain('<file name="docker/host/container/&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;">');
    expect(xml.match(/<error /g)).toHaveLength(actionable.length);
    expect(xml).not.toContain(HOSTILE_NAME);
    expect(xml).not.toMatch(RAW_CONTROL);
  });
});
