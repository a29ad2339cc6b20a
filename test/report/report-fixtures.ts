/**
 * Reports for the formatter tests: a small real one (all rules over a snapshot with a hostile
 * container name, a Compose file and a problem), and large ones made from its findings.
 */
import { configSchema } from '../../src/engine/config.js';
import type { Finding, Report } from '../../src/engine/report.js';
import { runRules } from '../../src/engine/run.js';
import { loadRules } from '../../src/rules/registry.js';
import { workloadsFromCompose } from '../../src/views/from-compose.js';
import { snap } from '../helpers/builder.js';

/** A name that closes a script block and runs code if it is ever parsed as HTML. */
export const HOSTILE_NAME = '</script><img src=x onerror=alert(1)>';

const COMPOSE = ['services:', '  web:', '    image: nginx:1.25', '    privileged: true', '    ports: ["80:80"]', '  "a|b`c<d>":', '    image: app:1', '    cap_add: [SYS_ADMIN]', ''].join('\n');

/** Every rule over a small snapshot: a daemon, three containers (one named HOSTILE_NAME), a Compose file. */
export async function smallReport(): Promise<Report> {
  const snapshot = snap()
    .daemon({ settings: { 'log-level': 'debug' } })
    .container({ name: HOSTILE_NAME, hostConfig: { Privileged: true } })
    .container({ name: 'web', hostConfig: { CapAdd: ['NET_ADMIN'] } })
    .container({ name: 'quiet\u001b[2J\nline' })
    .with((s) => {
      s.files = { files: [{ path: 'deploy/compose.yaml', kind: 'compose', content: COMPOSE }] };
      s.problems.push({ scope: 'host', subject: '/etc/<x>', reason: 'unreadable & "odd"' });
    })
    .build();
  return runRules(snapshot, await loadRules(), configSchema.parse({}), { toolVersion: 'test', fileWorkloads: workloadsFromCompose });
}

/**
 * A report of `count` findings made from `base`'s: each copy about its own subject, spread over
 * two targets, with a baseline verdict and a fingerprint, and a per-control list at the top.
 */
export function largeReport(base: Report, count: number): Report {
  const targets = ['alpha', 'beta'];
  const findings: Finding[] = [];
  for (let index = 0; index < count; index += 1) {
    const source = base.findings[index % base.findings.length]!;
    const copy: Finding & { baseline?: string; fingerprint?: string } = { ...source, subject: { ...source.subject, name: `${source.subject.name ?? source.subject.kind}-${index}` } };
    if (source.location === undefined) copy.target = targets[index % 2]!;
    copy.baseline = index % 3 === 0 ? 'new' : 'unchanged';
    copy.fingerprint = `fp${index.toString(16).padStart(12, '0')}`;
    findings.push(copy);
  }
  const byStatus = { pass: 0, fail: 0, warn: 0, info: 0, manual: 0, skipped: 0, error: 0 };
  for (const finding of findings) byStatus[finding.status] += 1;
  return {
    ...base,
    summary: { ...base.summary, total: findings.length, byStatus },
    findings,
    targets: targets.map((name) => ({ address: `unix:///run/${name}.sock`, context: name, name, version: '27.0.0', reachable: true as const })),
    controls: [
      { id: '2.1', title: 'Run the Docker daemon as a non-root user', status: 'warn', findings: ['DA201'] },
      { id: '5.5', title: `Ensure privileged containers are not used ${HOSTILE_NAME}`, status: 'fail', findings: ['DA505'] },
    ],
  } as Report;
}
