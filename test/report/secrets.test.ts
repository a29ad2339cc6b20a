import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/engine/config.js';
import { runRules } from '../../src/engine/run.js';
import { workloadsFromCompose } from '../../src/views/from-compose.js';
import { formatJson } from '../../src/report/json.js';
import { formatJunit } from '../../src/report/junit.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { loadRules } from '../../src/rules/registry.js';
import { snap } from '../helpers/builder.js';

const SECRET = 'Zq9xSecretValue77';

const history = (...createdBy: string[]) =>
  createdBy.reverse().map((CreatedBy, index) => ({ Id: '<missing>', Created: 1700000000 + index, CreatedBy, Size: 0, Comment: '' }));

const compose = [
  'services:',
  '  db:',
  '    image: postgres:16',
  `    command: ["postgres", "--password=${SECRET}"]`,
  `    entrypoint: ["docker-entrypoint.sh", "--token", "${SECRET}"]`,
  '    labels:',
  `      db.password: ${SECRET}`,
  '    healthcheck:',
  `      test: ["CMD-SHELL", "PGPASSWORD=${SECRET} pg_isready -h localhost"]`,
  '  cli:',
  '    image: mysql:8',
  `    healthcheck: { test: ["CMD", "mysqladmin", "ping", "-p${SECRET}"] }`,
  '',
].join('\n');

/** A host whose command lines, healthchecks, entrypoints, commands and labels all carry the same secret. */
const snapshot = snap()
  .image({
    repoTags: ['acme/db:1'],
    config: { Healthcheck: { Test: ['CMD-SHELL', `mysqladmin ping --password=${SECRET}`] }, Labels: { 'db.password': SECRET } },
    history: history('/bin/sh -c #(nop) ADD file:0a1b2c in / ', `/bin/sh -c apt-get update --token=${SECRET}`, `ADD https://ci:${SECRET}@git.example.com/t.bin /t # buildkit`),
  })
  .container({
    name: 'db',
    processes: [
      { user: 'root', pid: '1', command: `mysqld --user=mysql --password=${SECRET}` },
      { user: 'root', pid: '9', command: `/usr/sbin/sshd -D -o TOKEN=${SECRET}` },
    ],
    config: {
      Entrypoint: ['docker-entrypoint.sh', `--password=${SECRET}`],
      Cmd: ['mysqld', '--token', SECRET],
      Labels: { 'db.password': SECRET, 'api.url': `https://app:${SECRET}@api.example.com` },
      Healthcheck: { Test: ['CMD-SHELL', `PGPASSWORD=${SECRET} pg_isready`] },
    },
  })
  .container({
    name: 'stopped',
    state: 'exited',
    config: { Entrypoint: ['/usr/sbin/sshd'], Cmd: ['-D', '--password', SECRET], Healthcheck: { Test: ['CMD', 'redis-cli', '-a', SECRET, 'ping'] } },
  })
  .with((s) => (s.files = { files: [{ path: 'compose.yaml', kind: 'compose', content: compose }] }))
  .build();

describe('secrets in a report', () => {
  it('appear in no format, for any rule, though the host holds them in process arguments, healthchecks, entrypoints, commands and labels', async () => {
    const report = runRules(snapshot, await loadRules(), configSchema.parse({}), { toolVersion: 'test', fileWorkloads: workloadsFromCompose });
    // The report does quote those command lines, with the secrets redacted.
    expect(report.findings.some((finding) => finding.message.includes('--password=***'))).toBe(true);
    expect(report.findings.some((finding) => finding.message.includes('PGPASSWORD=***'))).toBe(true);
    const outputs = {
      text: formatText(report, { color: false, showPassed: true }),
      json: formatJson(report),
      sarif: formatSarif(report),
      junit: formatJunit(report),
    };
    for (const [format, output] of Object.entries(outputs)) expect({ format, leaks: output.includes(SECRET) }).toEqual({ format, leaks: false });
  });
});
