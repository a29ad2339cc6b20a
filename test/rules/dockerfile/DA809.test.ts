import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA809.js';
import { lint, problems } from './support/snapshot.js';

describe('DA809 dockerfile-remote-script', () => {
  it('passes downloads that are verified or only parsed', () => {
    const findings = lint(
      rule,
      [
        'FROM alpine',
        'RUN curl -fsSLo /tmp/i.sh https://x/i.sh && sha256sum -c i.sum && sh /tmp/i.sh',
        'RUN curl -s https://api.github.com/x | python3 -c "import json,sys; print(json.load(sys.stdin))"',
        'RUN wget -qO- https://x/app.tgz | tar -xz -C /opt',
        'RUN echo "curl https://x | sh" > /usr/local/bin/doc',
      ].join('\n'),
    );
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noRemoteScript' }]);
  });

  it('fails a download piped into a shell or interpreter, however it is wrapped', () => {
    const findings = lint(
      rule,
      [
        'FROM alpine',
        'RUN curl -fsSL https://x/install.sh | sh',
        'RUN wget -qO- https://x | sudo -E bash -s -- --yes',
        "RUN bash -c 'curl -sL https://x | tee /tmp/log | bash'",
        'RUN curl -sSL https://install.python-poetry.org | python3 -',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([
      [2, 'fail', 'piped'],
      [3, 'fail', 'piped'],
      [4, 'fail', 'piped'],
      [5, 'fail', 'piped'],
    ]);
    expect(findings[1]?.message).toBe('wget output is piped into bash: the downloaded script runs unverified');
  });

  it('fails downloaded code run through a command or process substitution', () => {
    const findings = lint(rule, ['FROM alpine', 'RUN sh -c "$(curl -fsSL https://x/install.sh)"', 'RUN bash <(wget -qO- https://x)', 'RUN eval "$(curl -s https://x/env)"'].join('\n'));
    expect(problems(findings)).toEqual([
      [2, 'fail', 'substituted'],
      [3, 'fail', 'substituted'],
      [4, 'fail', 'substituted'],
    ]);
  });

  it('reads heredoc scripts and exec-form shells', () => {
    const findings = lint(rule, 'FROM alpine\nRUN <<EOF\nset -e\ncurl -s https://x | sh\nEOF\nRUN ["/bin/sh", "-c", "wget -O- https://x | sh"]\n');
    expect(problems(findings)).toEqual([
      [2, 'fail', 'piped'],
      [6, 'fail', 'piped'],
    ]);
  });
});
