import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA824.js';
import { lint, problems } from './support/snapshot.js';

describe('DA824 dockerfile-pipefail', () => {
  it('fails a download piped on without pipefail, in every shape of RUN', () => {
    const findings = lint(
      rule,
      [
        'FROM debian:12',
        'RUN curl -fsSL https://example.com/tool.tar.gz | tar xz -C /opt',
        'RUN set -eux; \\',
        '    wget -qO- https://example.com/key.asc \\',
        '      | gpg --dearmor -o /usr/share/keyrings/example.gpg',
        'RUN sh -c "curl -fsSL https://example.com/a.tgz | tar xz"',
        'RUN ["/bin/bash", "-c", "curl -fsSL https://example.com/a.tgz | tar xz"]',
        'RUN set -o pipefail && curl -s https://example.com/x | tar x && set +o pipefail && curl -s https://example.com/y | tar x',
        'RUN <<EOF',
        'curl -fsSL https://example.com/b.tgz | tar xz',
        'EOF',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([
      [2, 'fail', 'maskedDownload'],
      [3, 'fail', 'maskedDownload'],
      [6, 'fail', 'maskedDownload'],
      [7, 'fail', 'maskedDownload'],
      [8, 'fail', 'maskedDownload'],
      [9, 'fail', 'maskedDownload'],
    ]);
    expect(findings[0]?.message).toBe("curl feeds a pipeline without pipefail: if the download fails, only the last command's status counts and the build goes on");
  });

  it('passes pipefail however it is set, downloads at the end of a pipeline, and pipes without a download', () => {
    const findings = lint(
      rule,
      [
        'FROM debian:12 AS base',
        'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
        'RUN curl -fsSL https://example.com/tool.tar.gz | tar xz -C /opt',
        'FROM base',
        'RUN wget -qO- https://example.com/key.asc | gpg --dearmor -o /k.gpg',
        'FROM debian:12',
        'RUN set -euxo pipefail; curl -fsSL https://example.com/a.tgz | tar xz',
        'RUN set -eux -o pipefail && curl -fsSL https://example.com/a.tgz | tar xz',
        'RUN bash -o pipefail -c "curl -fsSL https://example.com/a.tgz | tar xz"',
        'RUN ["/bin/bash", "-eo", "pipefail", "-c", "curl -fsSL https://example.com/a.tgz | tar xz"]',
        'RUN echo "abc  file" | sha256sum -c - && tar cf - /etc | gzip > /etc.tgz',
        'RUN cat /tmp/list | curl -T - https://example.com/upload',
        'RUN curl -fsSL https://example.com/install.sh | sh -s -- --yes',
        'RUN curl -s https://api.example.com/latest | python3 -c "import sys, json; print(json.load(sys.stdin))"',
        'RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz && tar xzf /tmp/a.tgz',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([]);
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noMaskedDownload' }]);
  });

  it('starts each stage from its base: a stage FROM an image does not inherit another stage\'s SHELL', () => {
    const findings = lint(
      rule,
      ['FROM debian:12 AS one', 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'FROM debian:12', 'RUN curl -s https://example.com/x | tar x', ''].join('\n'),
    );
    expect(problems(findings)).toEqual([[4, 'fail', 'maskedDownload']]);
  });
});
