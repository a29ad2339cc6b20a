import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { filesOnlySnapshot } from '../../src/collect/source-files-only.js';
import { configSchema } from '../../src/engine/config.js';
import { compareFindings, evaluateRules, exceedsThreshold, reportOf, runRules, runRulesAlongside, sortFindings } from '../../src/engine/run.js';
import { loadRules } from '../../src/rules/registry.js';
import type { SourceFile } from '../../src/snapshot/files.js';
import type { Finding } from '../../src/engine/report.js';
import { defineRule, forEachWorkload } from '../../src/rules/define.js';
import privileged from '../../src/rules/container/DA505.js';
import { snap } from '../helpers/builder.js';
import { ConfigError, InternalError } from '../../src/errors.js';
import { workloadsFromCompose } from '../../src/views/from-compose.js';

const snapshot = snap()
  .container({ name: 'priv-a', hostConfig: { Privileged: true } })
  .container({ name: 'priv-b', hostConfig: { Privileged: true } })
  .container({ name: 'plain' })
  .build();

describe('engine', () => {
  it('applies ignores by subject and keeps the status, marking them suppressed', () => {
    const config = configSchema.parse({ ignore: [{ rule: 'container-privileged', subject: 'priv-a', reason: 'CI runner' }] });
    const report = runRules(snapshot, [privileged], config, { toolVersion: 't' });
    const a = report.findings.find((finding) => finding.subject.name === 'priv-a');
    expect(a).toMatchObject({ status: 'fail', suppressed: { reason: 'CI runner' } });
    expect(report.findings.find((finding) => finding.subject.name === 'priv-b')?.suppressed).toBeUndefined();
    expect(report.summary).toMatchObject({ suppressed: 1, failuresBySeverity: { critical: 1 } });
  });

  it('lets config turn a rule off or change its severity, and gates on --fail-on', () => {
    expect(runRules(snapshot, [privileged], configSchema.parse({ rules: { DA505: 'off' } }), { toolVersion: 't' }).findings).toEqual([]);
    const lowered = runRules(snapshot, [privileged], configSchema.parse({ rules: { DA505: { severity: 'low' } } }), { toolVersion: 't' });
    expect(lowered.findings.filter((finding) => finding.status === 'fail').map((finding) => finding.severity)).toEqual(['low', 'low']);
    expect(exceedsThreshold(lowered, 'high')).toBe(false);
    expect(exceedsThreshold(lowered, 'low')).toBe(true);
  });

  it('refuses unknown rule names in the config', () => {
    expect(() => runRules(snapshot, [privileged], configSchema.parse({ rules: { NOPE: 'off' } }), { toolVersion: 't' })).toThrow(ConfigError);
  });

  it('turns a throwing rule into one error finding tagged with its id', () => {
    const broken = defineRule({
      meta: { ...privileged.meta, id: 'DA999', alias: 'broken' },
      check: forEachWorkload(() => {
        throw new Error('boom');
      }),
    });
    const report = runRules(snapshot, [broken], configSchema.parse({}), { toolVersion: 't' });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ ruleId: 'DA999', status: 'error', message: 'the rule failed: boom' });
  });

  it('refuses to judge Compose files without the Compose mapper, rather than pass their services', () => {
    const withCompose = snap()
      .with((s) => (s.files = { files: [{ path: 'compose.yaml', kind: 'compose', content: 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n' }] }))
      .build();
    expect(() => runRules(withCompose, [privileged], configSchema.parse({}), { toolVersion: 't' })).toThrow(InternalError);
    const report = runRules(withCompose, [privileged], configSchema.parse({}), { toolVersion: 't', fileWorkloads: workloadsFromCompose });
    expect(report.findings.map((finding) => [finding.subject.name, finding.status])).toEqual([['web', 'fail']]);
  });

  it('sorts worst first', () => {
    const report = runRules(snapshot, [privileged], configSchema.parse({}), { toolVersion: 't' });
    expect(report.findings.map((finding) => finding.status)).toEqual(['fail', 'fail', 'pass']);
  });
});

describe('sortFindings', () => {
  it('orders like compareFindings and keeps equal findings in their order', () => {
    const statuses = ['pass', 'fail', 'warn', 'skipped', 'manual', 'info', 'error'] as const;
    const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const findings: Finding[] = Array.from({ length: 2000 }, (_, index) => ({
      ruleId: `DA${500 + next(12)}`,
      alias: 'x',
      title: 'x',
      family: 'container',
      status: statuses[next(statuses.length)] as Finding['status'],
      severity: severities[next(severities.length)] as Finding['severity'],
      references: { cis: [], checklist: [] },
      subject: { kind: 'container', name: `c${next(20)}` },
      ...(next(2) === 0 ? { location: { file: `f${next(3)}.yml`, line: 1 } } : {}),
      message: `m${index}`,
      messageId: 'm',
    }));
    expect(sortFindings([...findings])).toEqual([...findings].sort(compareFindings));
  });

  it('sorts findings that come in runs of one rule, status and severity, as rules give them', () => {
    const findings: Finding[] = Array.from({ length: 600 }, (_, index) => ({
      ruleId: `DA${510 - Math.floor(index / 100)}`,
      alias: 'x',
      title: 'x',
      family: 'container',
      status: Math.floor(index / 7) % 3 === 0 ? 'fail' : 'pass',
      severity: index % 50 < 25 ? 'high' : 'low',
      references: { cis: [], checklist: [] },
      subject: { kind: 'container', name: `c${(index * 7) % 13}` },
      message: `m${index}`,
      messageId: 'm',
    }));
    expect(sortFindings([...findings])).toEqual([...findings].sort(compareFindings));
  });
});

/** Every failing Dockerfile fixture and every Compose fixture directory's compose.yaml. */
function fixtureFiles(): SourceFile[] {
  const root = join(import.meta.dirname, '../fixtures');
  const dockerfiles = readdirSync(join(root, 'dockerfile/failing')).map((name) => join(root, 'dockerfile/failing', name));
  const composeFiles = readdirSync(join(root, 'compose'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'corpus')
    .map((entry) => join(root, 'compose', entry.name, 'compose.yaml'))
    .filter((path) => {
      try {
        readFileSync(path);
        return true;
      } catch {
        return false;
      }
    });
  return [
    ...dockerfiles.map((path): SourceFile => ({ path, kind: 'dockerfile', content: readFileSync(path, 'utf8') })),
    ...composeFiles.map((path): SourceFile => ({ path, kind: 'compose', content: readFileSync(path, 'utf8') })),
  ];
}

describe('evaluations in shares', () => {
  const config = configSchema.parse({});

  it('report the same findings, in the same order, as one evaluation of every rule', async () => {
    const files = fixtureFiles();
    const rules = await loadRules(['container', 'dockerfile', 'compose']);
    const whole = runRules(filesOnlySnapshot({ files }), rules, config, { toolVersion: 't', fileWorkloads: workloadsFromCompose });
    // A snapshot of their own for each share, as a worker thread has.
    const dockerfileShare = evaluateRules(filesOnlySnapshot({ files: files.filter((file) => file.kind === 'dockerfile') }), rules.filter((rule) => rule.meta.family === 'dockerfile'), config, { toolVersion: 't' });
    const otherShare = evaluateRules(filesOnlySnapshot({ files }), rules.filter((rule) => rule.meta.family !== 'dockerfile'), config, { toolVersion: 't', fileWorkloads: workloadsFromCompose });
    const shared = reportOf(filesOnlySnapshot({ files }), [otherShare, dockerfileShare], 't');
    expect(shared.findings).toEqual(whole.findings);
    expect(shared.summary).toEqual(whole.summary);
    // Both shares found something, and the sort interleaves them.
    const families = whole.findings.map((finding) => finding.family);
    expect(families.indexOf('dockerfile')).toBeLessThan(families.lastIndexOf('container'));
    expect(families.indexOf('container')).toBeLessThan(families.lastIndexOf('dockerfile'));
  });

  it('map Compose services to workloads once, and only when a rule asks for workloads', async () => {
    const files = fixtureFiles();
    const mapper = vi.fn(workloadsFromCompose);
    const rules = await loadRules(['container', 'dockerfile']);
    evaluateRules(filesOnlySnapshot({ files }), rules.filter((rule) => rule.meta.family === 'dockerfile'), config, { toolVersion: 't', fileWorkloads: mapper });
    expect(mapper).not.toHaveBeenCalled();
    evaluateRules(filesOnlySnapshot({ files }), rules, config, { toolVersion: 't', fileWorkloads: mapper });
    expect(mapper).toHaveBeenCalledTimes(1);
  });

  it('fail the run, not the rule that asked first, when the workloads cannot be worked out', () => {
    const withCompose = filesOnlySnapshot({ files: [{ path: 'compose.yaml', kind: 'compose', content: 'services:\n  web:\n    image: nginx:1.27\n' }] });
    const broken = () => {
      throw new InternalError('the mapper broke');
    };
    expect(() => evaluateRules(withCompose, [privileged], config, { toolVersion: 't', fileWorkloads: broken })).toThrow('the mapper broke');
  });

  it('alongside another share: the report of both, or the error of either', async () => {
    const here = snap().container({ name: 'priv', hostConfig: { Privileged: true } }).build();
    const elsewhere = Promise.resolve(evaluateRules(here, [privileged], config, { toolVersion: 't' }));
    const report = await runRulesAlongside(here, [], config, { toolVersion: 't', knownRuleNames: new Set(['DA505']) }, elsewhere);
    expect(report.findings.map((finding) => [finding.ruleId, finding.subject.name, finding.status])).toEqual([['DA505', 'priv', 'fail']]);
    expect(report.summary.rules).toBe(1);
    await expect(runRulesAlongside(here, [privileged], config, { toolVersion: 't' }, Promise.reject(new ConfigError('bad options')))).rejects.toThrow('bad options');
    // The config is checked against every rule of the run, not only those run here.
    const unknown = configSchema.parse({ rules: { NOPE: 'off' } });
    await expect(runRulesAlongside(here, [privileged], unknown, { toolVersion: 't' }, Promise.resolve({ findings: [], rulesRun: 0 }))).rejects.toThrow(ConfigError);
  });
});

describe('caps on findings', () => {
  /** A rule that gives `count` findings about one file: every tenth fails high, the 205th fails critical, the rest pass. */
  const noisy = (id: string, count: number, subject = 'big/Dockerfile') =>
    defineRule({
      meta: { ...privileged.meta, id, alias: `noisy-${id}`, needs: [] },
      check: () =>
        Array.from({ length: count }, (_, index) => ({
          subject: { kind: 'file' as const, name: subject },
          status: index % 10 === 0 || index === 204 ? ('fail' as const) : ('pass' as const),
          ...(index === 204 ? { severity: 'critical' as const } : {}),
          messageId: privileged.meta.messages ? (Object.keys(privileged.meta.messages)[0] as string) : 'x',
          location: { file: subject, line: index + 1, column: 1 },
        })),
    });

  it('list at most N findings of a rule about one subject, and one finding with the worst of the others', () => {
    const config = configSchema.parse({ limits: { findingsPerRuleAndSubject: 100 } });
    const report = runRules(snapshot, [noisy('DA990', 250), noisy('DA991', 20, 'small/Dockerfile')], config, { toolVersion: 't' });
    const big = report.findings.filter((finding) => finding.ruleId === 'DA990');
    expect(big).toHaveLength(101);
    const standIn = big.find((finding) => finding.messageId === '__notListed');
    expect(standIn).toMatchObject({
      status: 'fail',
      severity: 'critical',
      notListed: 150,
      subject: { kind: 'file', name: 'big/Dockerfile' },
      location: { file: 'big/Dockerfile', line: 101 },
      message: '150 more findings of DA990 about this subject are not listed (at most 100 per rule and subject; worst of them: fail critical)',
    });
    expect(report.findings.filter((finding) => finding.ruleId === 'DA991')).toHaveLength(20);
    expect(report.summary.notListed).toBe(150);
    // The gate is where it would be without the cap: the critical failure was past it.
    expect(exceedsThreshold(report, 'critical')).toBe(true);
  });

  it('stand in suppressed only when every finding left out is suppressed', () => {
    const config = configSchema.parse({ limits: { findingsPerRuleAndSubject: 5 }, ignore: [{ rule: 'DA990', reason: 'known' }] });
    const report = runRules(snapshot, [noisy('DA990', 250)], config, { toolVersion: 't' });
    const standIn = report.findings.find((finding) => finding.messageId === '__notListed');
    expect(standIn).toMatchObject({ status: 'fail', severity: 'critical', notListed: 245, suppressed: { reason: 'every finding not listed is suppressed' } });
    expect(exceedsThreshold(report, 'low')).toBe(false);
  });

  it('list at most N findings in a report, the worst, and one finding per rule for the rest', () => {
    const rules = [noisy('DA990', 250), noisy('DA991', 40, 'other/Dockerfile')];
    const uncapped = runRules(snapshot, rules, configSchema.parse({ limits: { findingsPerRuleAndSubject: 1000 } }), { toolVersion: 't' });
    const report = runRules(snapshot, rules, configSchema.parse({ limits: { findings: 30, findingsPerRuleAndSubject: 1000 } }), { toolVersion: 't' });
    expect(report.findings.slice(0, 30)).toEqual(uncapped.findings.slice(0, 30));
    const standIns = report.findings.slice(30);
    expect(standIns.map((finding) => [finding.ruleId, finding.status, finding.severity, finding.notListed, finding.subject])).toEqual([
      ['DA990', 'pass', 'critical', 224, { kind: 'file', name: '*' }],
      ['DA991', 'pass', 'critical', 36, { kind: 'file', name: '*' }],
    ]);
    expect(standIns[0]?.message).toBe('224 more findings of DA990 are not listed (at most 30 findings in a report; worst of them: pass critical)');
    expect(report.summary).toMatchObject({ total: 32, notListed: 260 });
    expect(exceedsThreshold(report, 'low')).toBe(exceedsThreshold(uncapped, 'low'));
  });

  it('count the findings a first cap left out when a second leaves out their stand-in', () => {
    const report = runRules(snapshot, [noisy('DA990', 250)], configSchema.parse({ limits: { findings: 10, findingsPerRuleAndSubject: 100 } }), { toolVersion: 't' });
    expect(report.findings).toHaveLength(11);
    expect(report.findings[10]).toMatchObject({ notListed: 240, status: 'fail', severity: 'critical' });
    expect(report.summary.notListed).toBe(240);
  });
});
