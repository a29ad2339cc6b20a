/**
 * The fix planners beside the rules, over snapshot builders: what each failing rule turns into,
 * what is kept, and what is left as a note.
 */
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/engine/config.js';
import { runRules } from '../../src/engine/run.js';
import { planComposeOverride } from '../../src/rules/container/support/fix-compose.js';
import { daemonJsonText, planDaemonJsonFix } from '../../src/rules/daemon/support/fix-daemon-json.js';
import { isAuditRuleCheck, planAuditRules } from '../../src/rules/host/support/fix-audit-rules.js';
import { loadRules } from '../../src/rules/registry.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { workloadsFromCompose } from '../../src/views/from-compose.js';
import { snap } from '../helpers/builder.js';
import { absent, auditRules, filesOf, present } from '../rules/host/helpers.js';

const config = configSchema.parse({});
const daemonRules = await loadRules(['daemon']);
const auditRuleChecks = (await loadRules(['host'])).filter((rule) => isAuditRuleCheck(rule.meta));

function daemonFindings(snapshot: Snapshot) {
  return runRules(snapshot, daemonRules, config, { toolVersion: 't' }).findings;
}

describe('fix daemon-json', () => {
  const settings = { 'log-level': 'debug', 'data-root': '/srv/docker', 'x-custom': { keep: [1, 2] }, icc: true, experimental: true, 'storage-opts': ['dm.basesize=20G', 'dm.fs=xfs'] };
  const snapshot = snap().daemon({ settings, info: { ExperimentalBuild: true, Driver: 'devicemapper' } }).build();

  it('sets and removes what the failing rules ask, keeps unknown keys and their order, new keys last', () => {
    const fix = planDaemonJsonFix(settings, daemonFindings(snapshot), { config: (snapshot.daemon as { config: never }).config, swarmActive: false });
    expect(Object.keys(fix.settings)).toEqual(['log-level', 'data-root', 'x-custom', 'icc', 'storage-opts', 'no-new-privileges', 'live-restore', 'userland-proxy']);
    expect(fix.settings).toMatchObject({ 'log-level': 'info', 'x-custom': { keep: [1, 2] }, icc: false, 'storage-opts': ['dm.fs=xfs'], 'no-new-privileges': true, 'live-restore': true, 'userland-proxy': false });
    expect(fix.settings).not.toHaveProperty('experimental');
    expect(fix.changes.map((change) => [change.ruleId, change.key]).sort()).toEqual([
      ['DA202', 'icc'],
      ['DA203', 'log-level'],
      ['DA211', 'storage-opts'],
      ['DA214', 'no-new-privileges'],
      ['DA215', 'live-restore'],
      ['DA216', 'userland-proxy'],
      ['DA218', 'experimental'],
    ]);
    expect(fix.changes.find((change) => change.key === 'experimental')).toEqual({ ruleId: 'DA218', key: 'experimental', previous: true });
    // Rules whose fix needs a decision are notes, not guesses.
    expect(fix.notes.map((note) => note.ruleId)).toEqual(expect.arrayContaining(['DA209', 'DA212']));
    expect(fix.settings).not.toHaveProperty('userns-remap');
  });

  it('fixes nothing a second time: the merged settings pass the rules it changed', () => {
    const first = planDaemonJsonFix(settings, daemonFindings(snapshot), { swarmActive: false });
    const again = snap().daemon({ settings: first.settings }).build();
    const second = planDaemonJsonFix(first.settings, daemonFindings(again), { swarmActive: false });
    expect(second.changes).toEqual([]);
    expect(second.settings).toEqual(first.settings);
  });

  it('leaves a setting dockerd takes from its command line to the command line', () => {
    const flagged = snap().daemon({ settings: {}, commandLine: ['dockerd', '--icc=true'] }).build();
    const facts = (flagged.daemon as { config: Parameters<typeof planDaemonJsonFix>[2]['config'] }).config!;
    facts.settings = { icc: true };
    facts.origin = { icc: 'flag' };
    const fix = planDaemonJsonFix({}, daemonFindings(flagged), { config: facts, swarmActive: false });
    expect(fix.settings).not.toHaveProperty('icc');
    expect(fix.notes.find((note) => note.ruleId === 'DA202')?.reason).toMatch(/^--icc is given on dockerd's command line/);
  });

  it('does not enable live-restore on a Swarm node', () => {
    const fix = planDaemonJsonFix({}, daemonFindings(snap().daemon({ settings: {} }).build()), { swarmActive: true });
    expect(fix.settings).not.toHaveProperty('live-restore');
    expect(fix.notes.find((note) => note.ruleId === 'DA215')?.reason).toContain('Swarm');
  });

  it('writes JSON indented as the original was', () => {
    expect(daemonJsonText({ a: 1 }, '{\n\t"a": 0\n}\n')).toBe('{\n\t"a": 1\n}\n');
    expect(daemonJsonText({ a: 1 })).toBe('{\n  "a": 1\n}\n');
  });
});

describe('fix audit-rules', () => {
  const files = filesOf(
    present('/usr/sbin/dockerd', { mode: 0o755 }),
    present('/etc/docker', { type: 'directory' }),
    present('/srv/docker', { type: 'directory' }),
    present('/run/containerd', { type: 'directory' }),
    absent('/etc/default/docker'),
  );
  const build = (audit: ReturnType<typeof auditRules>) =>
    snap().daemon({ info: { DockerRootDir: '/srv/docker' } }).host({ binaries: { dockerd: '/usr/sbin/dockerd' }, files, audit }).build();
  const findingsOf = (snapshot: Snapshot) => runRules(snapshot, auditRuleChecks, config, { toolVersion: 't' }).findings;

  it('watches the real paths of this host, the data root the daemon reports included', () => {
    const snapshot = build(auditRules([], []));
    const file = planAuditRules(snapshot, findingsOf(snapshot));
    expect(file.paths).toEqual(expect.arrayContaining(['/usr/sbin/dockerd', '/etc/docker', '/srv/docker', '/run/containerd']));
    expect(file.paths).not.toContain('/var/lib/docker');
    expect(file.text).toContain('\n-w /srv/docker -p wa -k docker\n');
    expect(file.leftOut.map((entry) => entry.path)).toContain('/etc/default/docker');
    expect(file.text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toEqual(file.paths.map((path) => `-w ${path} -p wa -k docker`));
  });

  it('once loaded and saved, makes every audit-rule check that judged a path pass', () => {
    const before = build(auditRules([], []));
    const lines = planAuditRules(before, findingsOf(before)).text.split('\n').filter((line) => line.startsWith('-w '));
    const after = findingsOf(build(auditRules(lines, lines)));
    const judged = after.filter((finding) => finding.status !== 'skipped');
    expect(judged.length).toBeGreaterThan(3);
    expect(judged.filter((finding) => finding.status !== 'pass').map((finding) => `${finding.ruleId} ${finding.subject.name} ${finding.status}`)).toEqual([]);
  });

  it('never writes a path that would break the file, and keeps comments on one line', () => {
    const evil = '/etc/docker\n-D';
    const snapshot = snap()
      .host({ files: filesOf(present(evil, { type: 'directory' }), present('/etc/docker', { type: 'directory' })), audit: auditRules([], []) })
      .build();
    const findings = findingsOf(snapshot).map((finding) => (finding.subject.name === '/etc/docker' ? { ...finding, subject: { ...finding.subject, name: evil } } : finding));
    const file = planAuditRules(snapshot, findings);
    expect(file.text.split('\n')).not.toContain('-D');
    expect(file.leftOut.some((entry) => entry.path === evil)).toBe(true);
  });
});

describe('fix compose', () => {
  const hostile = 'a"b\\c: #d\u2028e';
  const compose = [
    'services:',
    '  web:',
    '    image: nginx:1.25@sha256:' + 'a'.repeat(64),
    '    privileged: true',
    `  ${JSON.stringify(hostile)}:`,
    '    image: app:1',
    '    cap_add: [SYS_ADMIN]',
    '    security_opt: ["no-new-privileges:false"]',
    '  quiet:',
    '    image: app:1',
    '    user: "1000"',
    '    read_only: true',
    '    cap_drop: [ALL]',
    '    security_opt: ["no-new-privileges:true"]',
    '    mem_limit: 256m',
    '    memswap_limit: 256m',
    '    pids_limit: 50',
    '    cpus: 0.5',
    '    logging: { driver: json-file, options: { max-size: 1m } }',
    '',
  ].join('\n');
  const snapshot = snap()
    .with((s) => {
      s.files = { files: [{ path: 'compose.yaml', kind: 'compose', content: compose }] };
    })
    .build();

  it('writes each setting a failing rule asks for under its service, naming the rule, as YAML that reads back', async () => {
    const findings = runRules(snapshot, await loadRules(['container']), config, { toolVersion: 't', fileWorkloads: workloadsFromCompose }).findings;
    const override = planComposeOverride('compose.yaml', findings);
    const parsed = load(override.text) as { services: Record<string, Record<string, unknown>> };
    expect(Object.keys(parsed.services)).toEqual(['web', hostile]);
    expect(override.services).toEqual(['web', hostile]);
    expect(parsed.services['web']).toMatchObject({ privileged: false, security_opt: ['no-new-privileges:true'], cap_drop: ['ALL'], mem_limit: '512m', pids_limit: 200 });
    expect(parsed.services['web']!['logging']).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
    // Risky settings are there, commented out; the root user too.
    expect(parsed.services['web']).not.toHaveProperty('read_only');
    expect(override.text).toContain('    # DA513 container-read-only-rootfs — uncomment once');
    expect(override.text).toContain('    # read_only: true');
    // An override cannot remove list entries: those are notes.
    expect(parsed.services[hostile]).not.toHaveProperty('security_opt');
    const notes = override.notes.filter((note) => note.service === hostile).map((note) => note.ruleId);
    expect(notes).toEqual(expect.arrayContaining(['DA526', 'DA504']));
    expect(override.text).toContain('    # DA505 container-privileged\n    privileged: false\n');
    // No line of the file comes from the hostile name unquoted.
    expect(override.text.split('\n').some((line) => line.includes('\u2028'))).toBe(false);
  });
});
