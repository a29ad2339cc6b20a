import { describe, expect, it } from 'vitest';
import { snap } from '../helpers/builder.js';
import { dockerfilesOf, MAX_DOCKERFILE_BYTES, parseDockerfile } from '../../src/parsers/dockerfile/snapshot-dockerfiles.js';

const DOCKERFILE = [
  '# syntax=docker/dockerfile:1',
  'ARG GO=1.22',
  'ARG BASE',
  'FROM --platform=$BUILDPLATFORM golang:${GO}-alpine AS Build',
  'WORKDIR /src',
  'RUN --mount=type=cache,target=/go/pkg/mod \\',
  '    # a comment line inside the continuation is dropped',
  '    go build -o /out/app . \\',
  '    && strip /out/app',
  'FROM build AS test',
  'RUN go test ./...',
  'FROM ${BASE:-gcr.io/distroless/static:nonroot}',
  'ENV APP_USER=app HOME="/home/app dir"',
  'USER $APP_USER',
  'COPY --from=build --chown=app:app /out/app /app',
  'COPY --from=nginx:1.27 /etc/nginx/mime.types /etc/',
  'COPY --from=1 /etc/passwd /etc/passwd',
  'ONBUILD RUN make',
  'CMD ["/app", "--port", "8080"]',
].join('\n');

describe('parseDockerfile', () => {
  const model = parseDockerfile('svc/Dockerfile', DOCKERFILE);

  it('builds stages with names, bases, platforms and the shipped lineage', () => {
    expect(model.stages.map((stage) => ({ index: stage.index, name: stage.name, base: stage.base.kind, platform: stage.platform }))).toEqual([
      { index: 0, name: 'build', base: 'image', platform: '$BUILDPLATFORM' },
      { index: 1, name: 'test', base: 'stage', platform: undefined },
      { index: 2, name: undefined, base: 'image', platform: undefined },
    ]);
    expect(model.finalStage).toBe(2);
    expect(model.shipped).toEqual([2]);
    expect(parseDockerfile('x', 'FROM a AS one\nFROM one AS two\nFROM two\n').shipped).toEqual([0, 1, 2]);
  });

  it('substitutes global ARG defaults in FROM and parses the reference', () => {
    const first = model.stages[0]?.base;
    expect(first).toEqual({
      kind: 'image',
      image: { text: 'golang:${GO}-alpine', resolved: 'golang:1.22-alpine', unresolved: [], registry: 'docker.io', repository: 'library/golang', tag: '1.22-alpine' },
    });
    const last = model.stages[2]?.base;
    expect(last?.kind === 'image' && last.image).toMatchObject({ resolved: 'gcr.io/distroless/static:nonroot', registry: 'gcr.io', repository: 'distroless/static', tag: 'nonroot' });
    const unresolved = parseDockerfile('x', 'ARG BASE\nFROM ${BASE}\n').stages[0]?.base;
    expect(unresolved?.kind === 'image' && unresolved.image.unresolved).toEqual(['BASE']);
  });

  it('gives every instruction its keyword, exact location, flags and joined arguments', () => {
    const run = model.instructions.find((instruction) => instruction.keyword === 'RUN');
    expect(run).toMatchObject({
      location: { file: 'svc/Dockerfile', line: 6, column: 1 },
      endLine: 9,
      stage: 0,
      flags: [{ name: 'mount', value: 'type=cache,target=/go/pkg/mod' }],
      text: 'go build -o /out/app .     && strip /out/app',
    });
    expect(run?.script?.commands.map((command) => [command.program, command.location.line, command.location.column])).toEqual([
      ['go', 8, 5],
      ['strip', 9, 8],
    ]);
    const env = model.instructions.find((instruction) => instruction.keyword === 'ENV');
    expect(env?.pairs).toEqual([
      { key: 'APP_USER', value: 'app' },
      { key: 'HOME', value: '/home/app dir' },
    ]);
    expect(model.instructions.find((instruction) => instruction.keyword === 'USER')?.words).toEqual(['app']);
    expect(model.instructions[0]).toMatchObject({ keyword: 'ARG', stage: -1, pairs: [{ key: 'GO', value: '1.22' }] });
  });

  it('links COPY --from to stages or images and reads the exec form', () => {
    const copies = model.instructions.filter((instruction) => instruction.keyword === 'COPY');
    expect(copies.map((copy) => copy.fromSources?.[0]?.kind)).toEqual(['stage', 'image', 'stage']);
    expect(copies[0]).toMatchObject({ sources: ['/out/app'], destination: '/app', flags: [{ name: 'from', value: 'build' }, { name: 'chown', value: 'app:app' }] });
    const cmd = model.instructions.find((instruction) => instruction.keyword === 'CMD');
    expect(cmd?.exec).toEqual(['/app', '--port', '8080']);
    expect(cmd?.script?.dialect).toBe('exec');
    expect(model.instructions.find((instruction) => instruction.keyword === 'ONBUILD')?.trigger).toMatchObject({ keyword: 'RUN', location: { line: 18, column: 9 } });
  });

  it('parses heredoc RUNs as scripts and reports unclosed heredocs and shell errors', () => {
    const heredoc = parseDockerfile('x', 'FROM alpine\nRUN <<EOF\napk add curl\ncurl -s https://x | sh\nEOF\nRUN python3 <<EOF\nimport os\nEOF\n');
    const run = heredoc.instructions[1];
    expect(run?.endLine).toBe(5);
    expect(run?.script?.commands.map((command) => [command.program, command.location.line, command.parent?.kind])).toEqual([
      ['', 2, undefined],
      ['apk', 3, 'heredoc'],
      ['curl', 4, 'heredoc'],
      ['sh', 4, 'heredoc'],
    ]);
    expect(heredoc.instructions[2]?.script?.commands.map((command) => command.program)).toEqual(['python3']);
    expect(heredoc.problems).toEqual([]);
    const broken = parseDockerfile('x', 'FROM alpine\nRUN echo "open\nCOPY <<EOF /x\nnever closed\n');
    expect(broken.problems.map((problem) => [problem.kind, problem.location.line])).toEqual([
      ['shell-syntax', 2],
      ['heredoc', 3],
    ]);
  });

  it('does not parse RUN under a non-POSIX SHELL or on Windows images', () => {
    const windows = parseDockerfile('x', '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN Write-Host "hi `\n  there"\n');
    expect(windows.escapeChar).toBe('`');
    expect(windows.instructions[1]?.script).toEqual({ dialect: 'other', commands: [], problems: [] });
    const shell = parseDockerfile('x', 'FROM alpine\nSHELL ["pwsh", "-c"]\nRUN Get-Item "x\n');
    expect(shell.problems).toEqual([]);
  });

  it('handles CRLF line endings', () => {
    const crlf = parseDockerfile('x', 'FROM alpine\r\nRUN apk add \\\r\n  curl\r\n');
    expect(crlf.instructions[1]?.script?.commands[0]?.args).toEqual(['add', 'curl']);
  });

  it('refuses binary and oversized content', () => {
    expect(parseDockerfile('x', 'FROM a\u0000').skipped).toBe('binary content (NUL byte)');
    expect(parseDockerfile('x', 'x'.repeat(MAX_DOCKERFILE_BYTES + 1)).skipped).toContain('larger than');
  });
});

describe('dockerfilesOf', () => {
  it('parses each Dockerfile of the snapshot once, skipped ones with their reason', () => {
    const snapshot = snap()
      .with((s) => {
        s.files = {
          files: [
            { path: 'Dockerfile', kind: 'dockerfile', content: 'FROM alpine\n' },
            { path: 'compose.yaml', kind: 'compose', content: 'services: {}\n' },
            { path: 'big/Dockerfile', kind: 'dockerfile', skipped: 'larger than 1 MiB' },
          ],
        };
      })
      .build();
    const models = dockerfilesOf(snapshot);
    expect(models.map((model) => [model.path, model.skipped])).toEqual([
      ['Dockerfile', undefined],
      ['big/Dockerfile', 'larger than 1 MiB'],
    ]);
    expect(dockerfilesOf(snapshot)[0]).toBe(models[0]);
  });
});
