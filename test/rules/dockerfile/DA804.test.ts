import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA804.js';
import { lint, problems } from './support/snapshot.js';

describe('DA804 dockerfile-add-url-checksum', () => {
  it('passes remote sources with --checksum and git sources pinned to a commit', () => {
    const findings = lint(
      rule,
      'FROM alpine\nADD --checksum=sha256:abc123 https://example.com/x.tgz /tmp/\nADD https://github.com/a/b.git#0123456789abcdef0123456789abcdef01234567 /src\nADD local.txt /x\n',
    );
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'verified' }]);
  });

  it('fails a URL without --checksum, naming the URL', () => {
    const findings = lint(rule, 'FROM alpine\nADD http://example.com/tool /usr/local/bin/tool\n');
    expect(problems(findings)).toEqual([[2, 'fail', 'noChecksum']]);
    expect(findings[0]?.message).toBe('ADD http://example.com/tool without --checksum: the download is not verified');
  });

  it('warns about git sources pinned to a branch or tag, or not at all', () => {
    expect(problems(lint(rule, 'FROM alpine\nADD git@github.com:a/b.git#main /src\nADD https://github.com/a/b.git /src2\n'))).toEqual([
      [2, 'warn', 'gitUnpinned'],
      [3, 'warn', 'gitUnpinned'],
    ]);
  });
});
