import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/pipeline.js';
import { configSchema } from '../../src/engine/config.js';
import { formatText } from '../../src/report/text.js';
import { CIS_CONTROLS } from '../../src/rules/shared/cis.js';
import { CHECKLIST } from '../../src/rules/shared/checklist.js';
import { snap } from '../helpers/builder.js';

/** A daemon started with --no-new-privileges and nothing else: DA214 passes, DA219 (which cites 2.14) warns. */
const host = snap()
  .daemon({ info: { SecurityOptions: ['name=seccomp,profile=builtin', 'name=no-new-privileges'] }, settings: { 'no-new-privileges': true } })
  .container({ name: 'priv', hostConfig: { Privileged: true } })
  .container({ name: 'plain' })
  .build();

describe('benchmark view', () => {
  it('gives every CIS 1.6.0 control one verdict in benchmark order, from the findings that decide it', async () => {
    const report = await audit({ snapshot: host, benchmark: 'cis' });
    const view = report.benchmark;
    expect(view?.controls.map((control) => control.id)).toEqual(CIS_CONTROLS.map((control) => control.id));
    const control = (id: string) => view?.controls.find((entry) => entry.id === id);
    expect(report.findings.find((finding) => finding.ruleId === 'DA219')?.status).toBe('warn');
    // 2.14 is decided by DA214 alone: the synthesis DA219 only cites it.
    expect(control('2.14')).toMatchObject({ status: 'pass', assessment: 'automated' });
    expect(control('2.14')?.findings.map((finding) => finding.ruleId)).toEqual(['DA214']);
    // The worst of the containers decides 5.5.
    expect(control('5.5')).toMatchObject({ status: 'fail', decidedBy: 2 });
    expect(control('5.5')?.findings[0]).toMatchObject({ ruleId: 'DA505', status: 'fail', subject: { name: 'priv' } });
    // A manual control stays manual, with its findings as evidence.
    expect(control('2.1')?.status).toBe('manual');
    expect(control('6.2')?.status).toBe('manual');
    // Nothing on this host is swarm: rules ran and found nothing to judge, or judged it not applicable.
    expect(['not-applicable', 'pass', 'info', 'skipped']).toContain(control('7.3')?.status);
  });

  it('counts the score as docker-bench-security does, and a percentage of the automated controls judged', async () => {
    const report = await audit({ snapshot: host, benchmark: 'cis' });
    const controls = report.benchmark?.controls ?? [];
    const passed = controls.filter((control) => control.status === 'pass').length;
    const failed = controls.filter((control) => ['fail', 'warn', 'error'].includes(control.status)).length;
    const checks = controls.filter((control) => !['skipped', 'not-applicable'].includes(control.status)).length;
    expect(report.benchmark?.score).toMatchObject({ score: passed - failed, passed, failed, checks });
    expect(report.benchmark?.score.percent).toBe(Math.round((passed / (passed + failed)) * 1000) / 10);
  });

  it('calls the controls whose deciding rules --only left out skipped, and prints per control', async () => {
    const report = await audit({ snapshot: host, benchmark: 'cis', config: configSchema.parse({ only: ['cis:5.5'] }) });
    const status = (id: string) => report.benchmark?.controls.find((control) => control.id === id)?.status;
    expect(status('5.5')).toBe('fail');
    expect(status('2.14')).toBe('skipped');
    expect(status('2.2')).toBe('skipped');
    // 5.5, and the manual controls no rule decides (4.11, 4.12): a person checks those whatever was selected.
    expect(report.benchmark?.score).toMatchObject({ score: -1, checks: 3, passed: 0, failed: 1, manual: 2 });
    const text = formatText(report, { color: false, showPassed: false });
    const lines = text.split('\n');
    const at = (prefix: string) => lines.findIndex((line) => line.trimStart().startsWith(prefix));
    expect(at('SKIPPED        1.1.1')).toBeGreaterThan(0);
    expect(at('FAIL           5.5 ')).toBeGreaterThan(at('SKIPPED        4.1 '));
    expect(lines[at('FAIL           5.5 ') + 1]).toContain('DA505 fail priv: ');
    expect(text).toContain('Score -1 over 3 checks');
    // The sections are not printed besides: the view replaces them.
    expect(text).not.toContain('Containers\n');
  });

  it('gives the checklist one verdict per item', async () => {
    const report = await audit({ snapshot: host, benchmark: 'checklist' });
    expect(report.benchmark?.controls.map((control) => control.id)).toEqual(Object.keys(CHECKLIST));
    expect(report.benchmark?.controls.find((control) => control.id === 'POL-3')?.status).toBe('fail');
    expect(report.benchmark?.controls.find((control) => control.id === 'PERM-2')?.status).toBe('not-applicable');
  });

  it('lets a subject a rule skipped not hide the verdict on the others, and skips a control all of whose findings were skipped', async () => {
    const mixed = snap().container({ name: 'host-net', hostConfig: { NetworkMode: 'host' } }).container({ name: 'web', hostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '', HostPort: '8080' }] } } }).build();
    const report = await audit({ snapshot: mixed, benchmark: 'cis', config: configSchema.parse({ only: ['DA508'] }) });
    const control = report.benchmark?.controls.find((entry) => entry.id === '5.8');
    expect(control?.findings.map((finding) => finding.status).sort()).toEqual(['pass', 'skipped']);
    expect(control?.status).toBe('pass');
    const alone = await audit({ snapshot: snap().container({ name: 'host-net', hostConfig: { NetworkMode: 'host' } }).build(), benchmark: 'cis', config: configSchema.parse({ only: ['DA508'] }) });
    expect(alone.benchmark?.controls.find((entry) => entry.id === '5.8')?.status).toBe('skipped');
  });
});
