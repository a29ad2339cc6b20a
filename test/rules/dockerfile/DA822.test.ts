import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA822.js';
import { lint, problems } from './support/snapshot.js';
import { configSchema } from '../../../src/engine/config.js';
import { runRules } from '../../../src/engine/run.js';
import { snap } from '../../helpers/builder.js';

describe('DA822 dockerfile-plain-http-download', () => {
  it('fails curl, wget and ADD over plain http, in every shape of RUN', () => {
    const findings = lint(
      rule,
      [
        'FROM debian:12',
        'RUN curl -fsSL http://downloads.example.com/tool.tar.gz | tar xz -C /opt',
        'RUN set -eux; \\',
        '    wget -O /tmp/app.zip \\',
        '      http://mirror.example.org/app-1.2.zip; \\',
        '    unzip /tmp/app.zip',
        'RUN sh -c "wget -qO- http://get.example.net/data.json > /data.json"',
        'ADD http://example.com/archive.tar.gz /tmp/',
        'RUN curl -o /tmp/x http://user:hunter2pass@files.example.com/x',
        'RUN curl http://10.0.0.5:8080/artifact.jar -o /app.jar',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([
      [2, 'fail', 'plainHttp'],
      [3, 'fail', 'plainHttp'],
      [7, 'fail', 'plainHttp'],
      [8, 'fail', 'plainHttp'],
      [9, 'fail', 'plainHttp'],
      [10, 'fail', 'plainHttp'],
    ]);
    expect(findings[0]?.message).toBe('curl fetches http://downloads.example.com/tool.tar.gz over plain HTTP, unverified: anyone on the path can change what the build gets');
    expect(findings.map((finding) => finding.message).join('\n')).not.toContain('hunter2pass');
  });

  it('passes https, loopback, verified downloads, ADD --checksum and http URLs that are not downloads', () => {
    const findings = lint(
      rule,
      [
        'FROM debian:12',
        'RUN curl -fsSL https://downloads.example.com/tool.tar.gz | tar xz',
        'RUN curl -f http://localhost:8080/health && wget -q http://127.0.0.1/x && curl http://[::1]:9000/',
        'RUN wget http://example.com/app.tgz && echo "abc  app.tgz" | sha256sum -c -',
        'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d http://example.com/a.tgz /tmp/',
        'RUN echo "deb http://deb.debian.org/debian bookworm main" > /etc/apt/sources.list',
        'HEALTHCHECK CMD curl -f http://localhost/ || exit 1',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([]);
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noPlainHttp' }]);
  });

  it('fails package indexes over plain http: pip, npm, yarn, pnpm and gem options, config commands and ENV settings', () => {
    const findings = lint(
      rule,
      [
        'FROM python:3.12',
        'RUN pip install --index-url http://pypi.internal.example/simple flask',
        'RUN python3 -m pip install -i http://mirror.example.org/pypi/simple requests',
        'RUN pip3 install --extra-index-url=http://user:s3cretpw@pkgs.example.com/simple app',
        'RUN pip config set global.index-url http://pypi.example.net/simple',
        'ENV PIP_INDEX_URL=http://pypi.example.net/simple',
        'RUN npm install --registry http://npm.example.com/ left-pad',
        'RUN npm config set registry http://npm.example.com/',
        'RUN yarn config set registry http://yarn.example.com/ && yarn install',
        'ARG NPM_CONFIG_REGISTRY=http://npm.example.com/',
        'RUN PIP_EXTRA_INDEX_URL="https://ok.example.com/simple http://bad.example.com/simple" pip install x',
        'RUN gem sources --add http://gems.example.com/ && gem install rails --source http://gems.example.com/',
        'RUN pnpm add --registry=http://10.1.2.3:4873 lodash',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map((line) => [line, 'fail', 'plainIndex']));
    expect(findings[0]?.message).toBe('pip installs packages from the index http://pypi.internal.example/simple over plain HTTP: anyone on the path can change what it installs');
    expect(findings[2]?.message).toContain('http://user:***@pkgs.example.com/simple');
    expect(findings.map((finding) => finding.message).join('\n')).not.toContain('s3cretpw');
    expect(findings[9]?.message).toContain('http://bad.example.com/simple');
  });

  it('passes package indexes over https or loopback, pip checking hashes, and names that only look like settings', () => {
    const findings = lint(
      rule,
      [
        'FROM python:3.12',
        'RUN pip install --index-url https://pypi.example.net/simple flask',
        'RUN pip install --require-hashes -r requirements.txt --index-url http://pypi.example.net/simple',
        'RUN pip install --index-url http://localhost:3141/root/pypi/simple flask',
        'RUN npm install --registry=https://registry.npmjs.org/ left-pad',
        'ENV PIP_INDEX_URL=https://pypi.example.net/simple REGISTRY=http://example.com/',
        'RUN npm config set loglevel http://not-a-registry.example.com/',
        'RUN echo "--index-url http://pypi.example.net/simple" > /etc/pip-notes.txt',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([]);
  });

  it("reads a package index set by a build argument in a scanned image's history", () => {
    const snapshot = snap()
      .image({
        id: 'sha256:' + 'c'.repeat(64),
        repoTags: ['vendor/app:1'],
        history: [
          { Created: 1700000100, CreatedBy: '|1 PIP_INDEX_URL=http://pypi.internal.example/simple /bin/sh -c pip install flask' },
          { Created: 1700000000, CreatedBy: '/bin/sh -c #(nop) ADD file:0123abcd in / ' },
        ],
      })
      .with((built) => {
        built.imageContents = [];
      })
      .build();
    const report = runRules(snapshot, [rule], configSchema.parse({}), { toolVersion: 't' });
    expect(report.findings.filter((finding) => finding.status === 'fail')).toMatchObject([
      { ruleId: 'DA822', messageId: 'plainIndex', subject: { kind: 'image', name: 'vendor/app:1' }, message: expect.stringContaining('http://pypi.internal.example/simple') },
    ]);
  });
});
