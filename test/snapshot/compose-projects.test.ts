import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { runRules } from '../../src/engine/run.js';
import privileged from '../../src/rules/container/DA505.js';
import { snap } from '../helpers/builder.js';
import { composeProjectsOf, mergeComposeFiles, toPlain, valueAt, type ComposeProject } from '../../src/parsers/compose/projects.js';
import type { SourceFile } from '../../src/snapshot/files.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { workloadsFromCompose } from '../../src/views/from-compose.js';

function files(contents: Record<string, string>): SourceFile[] {
  return Object.entries(contents).map(([path, content]) => ({ path, kind: path.endsWith('.env') ? 'env' : 'compose', content }));
}

function snapshotOf(contents: Record<string, string>): Snapshot {
  return snap()
    .with((snapshot) => {
      snapshot.files = { files: files(contents) };
    })
    .build();
}

function service(project: ComposeProject, name: string): unknown {
  return toPlain(project.services.find((candidate) => candidate.name === name)?.node ?? { kind: 'scalar', value: null, pos: { file: '', line: 0, column: 0 }, size: 1 });
}

describe('compose projects', () => {
  it('is computed once per snapshot files object', () => {
    const snapshot = snapshotOf({ 'compose.yaml': 'services:\n  web: {image: "a:1"}\n' });
    expect(composeProjectsOf(snapshot)).toBe(composeProjectsOf(snapshot));
    expect(composeProjectsOf(snap().build())).toEqual({ files: [], projects: [], problems: [] });
  });

  it('merges override files onto their base, as docker compose does by default', () => {
    const analysis = composeProjectsOf(
      snapshotOf({
        'app/compose.yaml': 'services:\n  web: {image: "a:1", ports: ["80:80"]}\n',
        'app/compose.override.yaml': 'services:\n  web: {ports: ["9229:9229"]}\n',
        'app/docker-compose.prod.yml': 'services:\n  web: {image: "a:2"}\n',
        'other/compose.override.yaml': 'services:\n  solo: {image: "b:1"}\n',
      }),
    );
    expect(analysis.projects.map((project) => project.files)).toEqual([
      ['app/compose.yaml', 'app/compose.override.yaml'],
      ['app/docker-compose.prod.yml'],
      ['other/compose.override.yaml'],
    ]);
    expect(service(analysis.projects[0] as ComposeProject, 'web')).toEqual({ image: 'a:1', ports: ['80:80', '9229:9229'] });
    expect(analysis.projects.map((project) => project.name)).toEqual(['app', 'app', 'other']);
  });

  it('merges -f files in order with the Compose merge rules', () => {
    const { project, problems } = mergeComposeFiles(
      files({
        'compose.yaml': [
          'services:',
          '  web:',
          '    image: nginx:1.25',
          '    command: [nginx, -g, daemon off;]',
          '    environment: [A=1, B=2]',
          '    ports: ["80:80"]',
          '    volumes: ["./a:/data", "logs:/logs"]',
          '    cap_add: [CHOWN]',
          '    build: ./web',
          '    healthcheck: {test: [CMD, "true"], interval: 10s}',
          '    labels: {keep: "yes"}',
          '    networks: [front]',
          'networks: {front: {}}',
          'volumes: {logs: {}}',
          '',
        ].join('\n'),
        'prod.yaml': [
          'services:',
          '  web:',
          '    image: nginx:1.27.0',
          '    command: [nginx-debug]',
          '    environment: {B: "3", C: "4"}',
          '    ports: ["443:443", "80:80"]',
          '    volumes: ["./b:/data"]',
          '    cap_add: [NET_BIND_SERVICE]',
          '    build: {dockerfile: Dockerfile.prod}',
          '    healthcheck: {test: [CMD, curl, -f, localhost]}',
          '    labels: !reset {}',
          '    networks: !override [back]',
          'networks: {back: {}}',
          '',
        ].join('\n'),
        '.env': '',
      }),
    );
    expect(project.files).toEqual(['compose.yaml', 'prod.yaml']);
    expect(service(project, 'web')).toEqual({
      image: 'nginx:1.27.0',
      command: ['nginx-debug'],
      environment: { A: '1', B: '3', C: '4' },
      ports: ['80:80', '443:443'],
      volumes: ['./b:/data', 'logs:/logs'],
      cap_add: ['CHOWN', 'NET_BIND_SERVICE'],
      build: { context: './web', dockerfile: 'Dockerfile.prod' },
      healthcheck: { test: ['CMD', 'curl', '-f', 'localhost'], interval: '10s' },
      networks: { back: null },
    });
    expect(toPlain(valueAt(project.root, 'networks') ?? { kind: 'scalar', value: null, pos: { file: '', line: 0, column: 0 }, size: 1 })).toEqual({ front: {}, back: {} });
    expect(problems).toEqual([]);
    const web = project.services[0];
    expect(web?.node.entries.get('image')?.keyPos).toEqual({ file: 'prod.yaml', line: 3, column: 5 });
    expect(web?.location).toEqual({ file: 'compose.yaml', line: 2, column: 3 });
  });

  it('interpolates each project from the .env of its own directory only', () => {
    const analysis = composeProjectsOf(
      snapshotOf({
        'a/compose.yaml': 'services:\n  web: {image: "nginx:${TAG}"}\n',
        'a/.env': 'TAG=1.27.0\n',
        'b/compose.yaml': 'services:\n  web: {image: "nginx:${TAG:-stable}"}\n',
      }),
    );
    expect(analysis.projects.map((project) => service(project, 'web'))).toEqual([{ image: 'nginx:1.27.0' }, { image: 'nginx:stable' }]);
  });

  it('brings the services of included files into the project, interpolated from their own .env', () => {
    const analysis = composeProjectsOf(
      snapshotOf({
        'app/compose.yaml': 'include: [../infra/compose.yaml]\nservices:\n  web: {image: "a:1", depends_on: [db]}\n',
        'infra/compose.yaml': 'services:\n  db: {image: "postgres:${PG}"}\n',
        'infra/.env': 'PG=16.3\n',
      }),
    );
    const app = analysis.projects.find((project) => project.files[0] === 'app/compose.yaml');
    expect(app?.services.map((item) => [item.name, item.location.file])).toEqual([
      ['db', 'infra/compose.yaml'],
      ['web', 'app/compose.yaml'],
    ]);
    expect(service(app as ComposeProject, 'db')).toEqual({ image: 'postgres:16.3' });
    expect(analysis.problems.filter((problem) => problem.kind === 'reference')).toEqual([]);
  });

  it('lists profiles and keeps profiled services', () => {
    const [project] = composeProjectsOf(snapshotOf({ 'compose.yaml': 'services:\n  a: {image: "a:1"}\n  b: {image: "b:1", profiles: [debug, tools]}\n' })).projects;
    expect(project?.services.map((item) => [item.name, item.profiles])).toEqual([
      ['a', []],
      ['b', ['debug', 'tools']],
    ]);
  });
});

describe('inline suppressions on Compose files', () => {
  it('suppress the finding located on the next line, keeping its status', () => {
    const report = runRules(
      snapshotOf({
        'compose.yaml': [
          'services:',
          '  ci-runner:',
          '    image: gitlab/gitlab-runner:v17.0.0',
          '    # dockaudit ignore=container-privileged runs docker-in-docker jobs, isolated host',
          '    privileged: true',
          '  other:',
          '    image: busybox:1.36.1',
          '    privileged: true',
          '',
        ].join('\n'),
      }),
      [privileged],
      DEFAULT_CONFIG,
      { toolVersion: 'test', fileWorkloads: workloadsFromCompose },
    );
    const byName = Object.fromEntries(report.findings.map((finding) => [finding.subject.name, finding]));
    expect(byName['ci-runner']).toMatchObject({ status: 'fail', suppressed: { reason: 'runs docker-in-docker jobs, isolated host' }, location: { line: 5 } });
    expect(byName['other']?.suppressed).toBeUndefined();
  });
});
