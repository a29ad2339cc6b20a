import { describe, expect, it } from 'vitest';
import { dockerfileFromHistory } from '../../src/parsers/dockerfile/snapshot-dockerfiles.js';
import type { ApiDocument } from '../../src/snapshot/types.js';

/** `docker history` of an image, newest first, as the Engine API returns it (CreatedBy only). */
const BUILDKIT: ApiDocument[] = [
  { CreatedBy: 'CMD ["node" "server.js"]' },
  { CreatedBy: 'HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/ || exit 1"] "30s" "3s" "0s" "0s" \'\\x03\'}' },
  { CreatedBy: 'EXPOSE map[22/tcp:{} 8080/tcp:{}]' },
  { CreatedBy: 'USER app' },
  { CreatedBy: 'RUN |1 NPM_TOKEN=abc123 /bin/sh -c npm ci && curl -k https://x # buildkit' },
  { CreatedBy: 'COPY . /app # buildkit' },
  { CreatedBy: 'VOLUME [/data]' },
  { CreatedBy: 'WORKDIR /app' },
  { CreatedBy: 'ENV NODE_ENV=production' },
];

const CLASSIC = [
  { CreatedBy: '/bin/sh -c #(nop)  CMD ["nginx" "-g" "daemon off;"]' },
  { CreatedBy: '/bin/sh -c #(nop)  USER root' },
  { CreatedBy: '|2 A=1 B=two /bin/sh -c apt-get update && apt-get install -y curl' },
  { CreatedBy: '/bin/sh -c #(nop)  ENV NODE_TLS_REJECT_UNAUTHORIZED=0' },
  { CreatedBy: '/bin/sh -c #(nop)  HEALTHCHECK &{["NONE"] "0s" "0s" "0s" "0s" \'\\x00\'}' },
  { CreatedBy: '/bin/sh -c #(nop)  ONBUILD RUN make' },
  { CreatedBy: '/bin/sh -c #(nop) ADD file:4b7ce07002c69e8f3d704a9c5d6fd3053be500b7 in / ' },
  { CreatedBy: '' },
];

describe('dockerfileFromHistory', () => {
  it('reads BuildKit entries into instructions, oldest first, located at their history row', () => {
    const model = dockerfileFromHistory('example/app:1.0', BUILDKIT);
    expect(model).toMatchObject({ path: 'example/app:1.0', origin: 'history', finalStage: 0, shipped: [0], problems: [] });
    expect(model.stages[0]?.base).toEqual({ kind: 'unknown' });
    expect(model.instructions.map((instruction) => [instruction.keyword, instruction.location.line])).toEqual([
      ['ENV', 9],
      ['WORKDIR', 8],
      ['VOLUME', 7],
      ['COPY', 6],
      ['RUN', 5],
      ['USER', 4],
      ['EXPOSE', 3],
      ['HEALTHCHECK', 2],
      ['CMD', 1],
    ]);
    const byKeyword = (keyword: string) => model.instructions.find((instruction) => instruction.keyword === keyword);
    expect(byKeyword('RUN')).toMatchObject({ buildArgs: [{ key: 'NPM_TOKEN', value: 'abc123' }], text: 'npm ci && curl -k https://x' });
    expect(byKeyword('RUN')?.script?.commands.map((command) => command.program)).toEqual(['npm', 'curl']);
    expect(byKeyword('EXPOSE')?.words).toEqual(['22/tcp', '8080/tcp']);
    expect(byKeyword('VOLUME')?.words).toEqual(['/data']);
    expect(byKeyword('CMD')?.exec).toEqual(['node', 'server.js']);
    expect(byKeyword('HEALTHCHECK')?.script?.commands.map((command) => command.program)).toEqual(['curl', 'exit']);
    expect(byKeyword('COPY')).toMatchObject({ sources: ['.'], destination: '/app' });
  });

  it('reads classic builder entries, #(nop) metadata and |N build arguments', () => {
    const model = dockerfileFromHistory('nginx:custom', CLASSIC);
    expect(model.instructions.map((instruction) => instruction.keyword)).toEqual(['ADD', 'ONBUILD', 'HEALTHCHECK', 'ENV', 'RUN', 'USER', 'CMD']);
    const byKeyword = (keyword: string) => model.instructions.find((instruction) => instruction.keyword === keyword);
    expect(byKeyword('ADD')).toMatchObject({ sources: ['file:4b7ce07002c69e8f3d704a9c5d6fd3053be500b7'], destination: '/' });
    expect(byKeyword('RUN')?.buildArgs).toEqual([
      { key: 'A', value: '1' },
      { key: 'B', value: 'two' },
    ]);
    expect(byKeyword('RUN')?.script?.commands.map((command) => command.args[0])).toEqual(['update', 'install']);
    expect(byKeyword('HEALTHCHECK')?.words).toEqual(['NONE']);
    expect(byKeyword('ENV')?.pairs).toEqual([{ key: 'NODE_TLS_REJECT_UNAUTHORIZED', value: '0' }]);
    expect(byKeyword('ONBUILD')?.trigger?.keyword).toBe('RUN');
    expect(byKeyword('CMD')?.exec).toEqual(['nginx', '-g', 'daemon off;']);
    expect(byKeyword('USER')?.location).toEqual({ file: 'nginx:custom', line: 2, column: 1 });
  });
});
