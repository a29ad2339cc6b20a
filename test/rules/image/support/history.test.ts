import { describe, expect, it } from 'vitest';
import { instructionsOf, parseHistoryEntry, programWords, splitShellCommands } from '../../../../src/rules/image/support/history.js';

const entry = (CreatedBy: string) => ({ Id: '<missing>', Created: 1700000000, CreatedBy, Size: 0, Comment: '' });

describe('parseHistoryEntry', () => {
  it('reads classic builder metadata instructions', () => {
    expect(parseHistoryEntry(entry('/bin/sh -c #(nop)  ENV PATH=/usr/local/bin:/usr/bin'))).toMatchObject({ instruction: 'ENV', args: 'PATH=/usr/local/bin:/usr/bin' });
    expect(parseHistoryEntry(entry('/bin/sh -c #(nop) ADD file:0123abcd in / '))).toMatchObject({ instruction: 'ADD', args: 'file:0123abcd in /' });
    expect(parseHistoryEntry(entry('/bin/sh -c #(nop)  CMD ["bash"]'))).toMatchObject({ instruction: 'CMD', args: '["bash"]' });
  });

  it('reads classic RUN entries, with and without build arguments', () => {
    expect(parseHistoryEntry(entry('/bin/sh -c apt-get update'))).toMatchObject({ instruction: 'RUN', args: 'apt-get update', buildArgs: {} });
    expect(parseHistoryEntry(entry('|2 TOKEN=abc def VERSION=1.2 /bin/sh -c make install'))).toMatchObject({
      instruction: 'RUN',
      args: 'make install',
      buildArgs: { TOKEN: 'abc def', VERSION: '1.2' },
    });
    expect(parseHistoryEntry(entry('/bin/bash -o pipefail -c curl -s x | sh'))).toMatchObject({ instruction: 'RUN', args: 'curl -s x | sh' });
  });

  it('reads BuildKit entries', () => {
    expect(parseHistoryEntry(entry('RUN /bin/sh -c apk add --no-cache curl # buildkit'))).toMatchObject({ instruction: 'RUN', args: 'apk add --no-cache curl' });
    expect(parseHistoryEntry(entry('RUN |1 NPM_TOKEN=s3cr3t /bin/sh -c npm ci # buildkit'))).toMatchObject({
      instruction: 'RUN',
      args: 'npm ci',
      buildArgs: { NPM_TOKEN: 's3cr3t' },
    });
    expect(parseHistoryEntry(entry('RUN /bin/busybox --install -s /bin # buildkit'))).toMatchObject({ instruction: 'RUN', args: '/bin/busybox --install -s /bin' });
    expect(parseHistoryEntry(entry('ADD https://example.com/tool.tar.gz /opt/ # buildkit'))).toMatchObject({ instruction: 'ADD', args: 'https://example.com/tool.tar.gz /opt/' });
    expect(parseHistoryEntry(entry('ENV API_TOKEN=x'))).toMatchObject({ instruction: 'ENV', args: 'API_TOKEN=x' });
  });

  it('records no instruction for imported or committed images', () => {
    expect(parseHistoryEntry(entry(''))).toMatchObject({ instruction: '' });
    expect(parseHistoryEntry(entry('bash'))).toMatchObject({ instruction: '' });
  });

  it('orders entries oldest first', () => {
    const parsed = instructionsOf([entry('/bin/sh -c #(nop)  CMD ["bash"]'), entry('/bin/sh -c #(nop) ADD file:1 in / ')]);
    expect(parsed.map((item) => item.instruction)).toEqual(['ADD', 'CMD']);
  });
});

describe('splitShellCommands', () => {
  it('splits on operators and newlines, keeping quoted text whole', () => {
    expect(splitShellCommands(`apt-get update && apt-get install -y "a b" ; echo 'x && y' | tee f\nls`)).toEqual([
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', 'a b'],
      ['echo', 'x && y'],
      ['tee', 'f'],
      ['ls'],
    ]);
  });

  it('joins continued lines, drops comments and handles subshells', () => {
    expect(splitShellCommands('set -eux; \\\n  (cd /src && make) # build it\n')).toEqual([['set', '-eux'], ['cd', '/src'], ['make']]);
  });
});

describe('programWords', () => {
  it('skips keywords, variable assignments and wrappers with their options', () => {
    expect(programWords(['then', 'DEBIAN_FRONTEND=noninteractive', 'sudo', '-E', '/usr/bin/apt-get', 'install'])).toEqual(['apt-get', 'install']);
    expect(programWords(['env', '-i', 'A=1', 'apk', 'add'])).toEqual(['apk', 'add']);
  });
});
