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

  it('passes interpreters that run a script file, an inline program or a module', () => {
    const findings = lint(
      rule,
      [
        'FROM alpine',
        "RUN curl -s https://x | python -c 'import sys; print(sys.stdin.read())'",
        'RUN curl -s https://x | python3 script.py',
        'RUN curl -s https://x | python3 -m json.tool',
        "RUN wget -qO- https://x | perl -ne 'print if /v/'",
        "RUN wget -qO- https://x | perl -E 'say 1'",
        "RUN curl -s https://x | ruby -e 'puts STDIN.read'",
        "RUN curl -s https://x | node --eval 'process.stdin.pipe(process.stdout)'",
        "RUN curl -s https://x | php -r 'echo 1;' ",
        "RUN curl -s https://x | perl -pe's/a/b/'",
        "RUN curl -s https://x | python3 -c'import sys; print(sys.stdin.read())'",
        'RUN curl -s https://x | python3 -mjson.tool',
        "RUN curl -s https://x | node -p 'require(\"fs\").readFileSync(0, \"utf8\")'",
        "RUN curl -s https://x | php -B '$n = 0;' -R '$n++;'",
        'RUN curl -s https://x | mypython -',
        'RUN curl -s https://x | python3-config -',
        "RUN curl -s https://x | sh -c 'cat > /tmp/x'",
        'RUN curl -s https://x | sh /tmp/filter.sh',
        'RUN echo hi | sh',
        'RUN sh | curl -T - https://x',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([]);
    expect(findings).toEqual([expect.objectContaining({ status: 'pass', messageId: 'noRemoteScript', message: 'no downloaded script is run unverified' })]);
    expect(findings[0]?.location).toBeUndefined();
  });

  it('fails every interpreter that reads its program from standard input', () => {
    const findings = lint(
      rule,
      [
        'FROM alpine',
        'RUN curl -s https://x | python3 -u -',
        'RUN curl -s https://x | python3.11 - --yes',
        'RUN curl -s https://x | perl5.36',
        'RUN curl -s https://x | ruby2.7',
        'RUN curl -s https://x | nodejs',
        'RUN curl -s https://x | node -',
        'RUN curl -s https://x | php8.2',
        'RUN curl -s https://x | python3 -E -',
        'RUN curl -s https://x | ruby - -e x',
        'RUN aria2c -o - https://x | sh',
        'RUN fetch -o - https://x | sh',
        'RUN http https://x | sh',
        'RUN https x.example | sh',
      ].join('\n'),
    );
    expect(findings.map((finding) => [finding.location?.line, finding.status, finding.message])).toEqual([
      [2, 'fail', 'curl output is piped into python3: the downloaded script runs unverified'],
      [3, 'fail', 'curl output is piped into python3.11: the downloaded script runs unverified'],
      [4, 'fail', 'curl output is piped into perl5.36: the downloaded script runs unverified'],
      [5, 'fail', 'curl output is piped into ruby2.7: the downloaded script runs unverified'],
      [6, 'fail', 'curl output is piped into nodejs: the downloaded script runs unverified'],
      [7, 'fail', 'curl output is piped into node: the downloaded script runs unverified'],
      [8, 'fail', 'curl output is piped into php8.2: the downloaded script runs unverified'],
      [9, 'fail', 'curl output is piped into python3: the downloaded script runs unverified'],
      [10, 'fail', 'curl output is piped into ruby: the downloaded script runs unverified'],
      [11, 'fail', 'aria2c output is piped into sh: the downloaded script runs unverified'],
      [12, 'fail', 'fetch output is piped into sh: the downloaded script runs unverified'],
      [13, 'fail', 'http output is piped into sh: the downloaded script runs unverified'],
      [14, 'fail', 'https output is piped into sh: the downloaded script runs unverified'],
    ]);
  });

  it('passes substitutions that are data, not code', () => {
    const findings = lint(
      rule,
      [
        'FROM alpine',
        'RUN echo "$(curl -s https://x/version)" > /version',
        "RUN bash -c 'echo hi' \"$(curl -s https://x)\"",
        'RUN sh /tmp/run.sh "$(curl -s https://x/token)"',
        'RUN . /tmp/env.sh "$(curl -s https://x/token)"',
        'RUN python3 -c "print(1)" "$(curl -s https://x)"',
        'RUN sh -c "$(cat /tmp/script)"',
        'RUN eval "$(ssh-agent -s)"',
        'RUN bash',
        'RUN source',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([]);
  });

  it('fails substituted code wherever the program reads it', () => {
    const findings = lint(
      rule,
      [
        'FROM alpine',
        'RUN eval "$(ssh-agent -s)" "$(wget -qO- https://x)"',
        'RUN source <(curl -s https://x/env)',
        'RUN . <(curl -s https://x/env)',
        'RUN bash -x <(curl -s https://x)',
        'RUN python3 <(curl -s https://x/get.py)',
        'RUN sh -c "$(echo; curl -fsSL https://x)"',
        "RUN bash -c \"$(bash -c 'wget -qO- https://x')\"",
        'RUN eval "$(curl -s https://x)" "$(ssh-agent -s)"',
        'RUN bash -o pipefail -c "$(curl -fsSL https://x)"',
      ].join('\n'),
    );
    expect(findings.map((finding) => [finding.location?.line, finding.status, finding.message])).toEqual([
      [2, 'fail', 'eval runs code downloaded by wget in a command substitution, unverified'],
      [3, 'fail', 'source runs code downloaded by curl in a command substitution, unverified'],
      [4, 'fail', '. runs code downloaded by curl in a command substitution, unverified'],
      [5, 'fail', 'bash runs code downloaded by curl in a command substitution, unverified'],
      [6, 'fail', 'python3 runs code downloaded by curl in a command substitution, unverified'],
      [7, 'fail', 'sh runs code downloaded by curl in a command substitution, unverified'],
      [8, 'fail', 'bash runs code downloaded by wget in a command substitution, unverified'],
      [9, 'fail', 'eval runs code downloaded by curl in a command substitution, unverified'],
      [10, 'fail', 'bash runs code downloaded by curl in a command substitution, unverified'],
    ]);
  });

  it('reports once per command, at the instruction, with the rule\'s metadata', () => {
    const findings = lint(rule, 'FROM alpine\nWORKDIR /src\n  RUN sh -c "$(curl -s https://x)" | sh; curl -s https://y | sh -s "$(wget -qO- https://z)"\n');
    expect(findings).toEqual([
      expect.objectContaining({ messageId: 'substituted', location: { file: 'Dockerfile', line: 3, column: 3 } }),
      expect.objectContaining({ messageId: 'piped', message: 'curl output is piped into sh: the downloaded script runs unverified', location: { file: 'Dockerfile', line: 3, column: 3 } }),
    ]);
    expect(findings[0]).toMatchObject({
      ruleId: 'DA809',
      alias: 'dockerfile-remote-script',
      title: 'No downloaded script is run unverified',
      severity: 'high',
      status: 'fail',
      subject: { kind: 'file', name: 'Dockerfile' },
      references: { cis: [], checklist: ['IMG-4'] },
      message: 'sh runs code downloaded by curl in a command substitution, unverified',
    });
    expect(findings[0]?.remediation).toMatch(/^Download the script to a file, verify its checksum or signature, then run it/);
    expect(rule.meta.rationale).toMatch(/curl \.\.\. \| sh runs whatever the server/);
    expect(rule.meta.needs).toEqual(['dockerfiles']);
  });
});

describe('DA809 on scripts saved first, then run', () => {
  it('fails a download saved to a file and run in the same RUN or a later one of the stage', () => {
    const findings = lint(
      rule,
      [
        'FROM debian:12',
        'RUN curl -o /tmp/i.sh https://x/i.sh; sh /tmp/i.sh',
        'RUN wget -O /tmp/install.sh https://example.com/i.sh && chmod +x /tmp/install.sh && /tmp/install.sh --yes',
        'RUN curl -fsSLO https://example.com/setup.sh \\',
        '    && bash setup.sh',
        'RUN wget https://example.com/get.sh && sh ./get.sh',
        'RUN curl -sL https://example.com/x.sh > /tmp/x.sh && bash -o pipefail /tmp/x.sh',
        'RUN curl -fsSL -o /usr/local/bin/gosu https://example.com/gosu-amd64 && chmod +x /usr/local/bin/gosu && gosu nobody true',
        'RUN curl -o kubectl https://dl.k8s.io/kubectl',
        'RUN chmod +x kubectl && ./kubectl version',
        'RUN wget -q https://example.com/env.sh -P /opt && . /opt/env.sh',
        'RUN curl -sS https://getcomposer.org/installer -o composer-setup.php && php composer-setup.php',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([2, 3, 4, 6, 7, 8, 10, 11, 12].map((line) => [line, 'fail', 'savedThenRun']));
    expect(findings[0]?.message).toBe('curl saves /tmp/i.sh and the build runs it with no checksum or signature check');
  });

  it('fails a downloaded package installed unverified: dpkg, apt, rpm, dnf, apk --allow-untrusted, pacman', () => {
    const findings = lint(
      rule,
      [
        'FROM debian:12',
        'RUN curl -fsSLo /tmp/tool.deb https://example.com/tool_1.0_amd64.deb && dpkg -i /tmp/tool.deb',
        'RUN wget -q https://example.com/agent.deb && apt-get install -y ./agent.deb',
        'RUN curl -LO https://example.com/pkg.rpm && rpm -ivh pkg.rpm',
        'RUN curl -o /tmp/x.rpm https://example.com/x.rpm && dnf install -y /tmp/x.rpm',
        'RUN wget https://example.com/x.apk && apk add --allow-untrusted x.apk',
        'RUN curl -o /tmp/p.pkg.tar.zst https://example.com/p.pkg.tar.zst && pacman -U --noconfirm /tmp/p.pkg.tar.zst',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([2, 3, 4, 5, 6, 7].map((line) => [line, 'fail', 'savedThenInstalled']));
    expect(findings[0]?.message).toBe('curl saves /tmp/tool.deb and dpkg installs it, running its maintainer scripts as root, with no checksum or signature check');
    expect(findings[1]?.message).toContain('apt-get installs it');
  });

  it('passes packages from a repository, a verified download, a query, and a signed apk', () => {
    const findings = lint(
      rule,
      [
        'FROM debian:12',
        'RUN apt-get install -y curl agent.deb',
        'RUN curl -fsSLo /tmp/tool.deb https://example.com/tool.deb && echo "abc  /tmp/tool.deb" | sha256sum -c - && dpkg -i /tmp/tool.deb',
        'RUN curl -LO https://example.com/pkg.rpm && rpm -qpl pkg.rpm',
        'RUN wget https://example.com/x.apk && apk add x.apk',
        'RUN dpkg -i /var/cache/local.deb',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([]);
  });

  it('passes a saved script checked by checksum or signature, files never run, and runs in another stage', () => {
    const findings = lint(
      rule,
      [
        'FROM debian:12 AS fetch',
        'RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\',
        ' && echo "0f3e  /tmp/install.sh" | sha256sum -c - \\',
        ' && sh /tmp/install.sh',
        'RUN curl -fsSLO https://example.com/tool.sh && curl -fsSLO https://example.com/tool.sh.asc',
        'RUN gpg --batch --verify tool.sh.asc tool.sh && sh tool.sh',
        'RUN wget -q https://example.com/pkg.tar.gz && tar xzf pkg.tar.gz && cd pkg && ./configure && make',
        'RUN curl -o /tmp/late.sh https://example.com/late.sh',
        'FROM debian:12',
        'RUN sh /tmp/late.sh',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([]);
  });

  it('fails a remote script piped into php with arguments after --', () => {
    const findings = lint(rule, 'FROM php:8.3\nRUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer\n');
    expect(problems(findings)).toEqual([[2, 'fail', 'piped']]);
  });
});
