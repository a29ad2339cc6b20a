import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA818.js';
import { lint, problems } from './support/snapshot.js';

describe('DA818 dockerfile-tls-verification-disabled', () => {
  it('passes tools that verify certificates', () => {
    const findings = lint(
      rule,
      [
        'FROM node:20',
        'ENV NODE_TLS_REJECT_UNAUTHORIZED=1 GIT_SSL_NO_VERIFY=false',
        'RUN curl -fsSL -XPOST --cacert /ca.pem https://x && wget -q https://x && npm config set strict-ssl true',
        'RUN git config --global http.sslVerify true && pip install -i https://pypi.example/simple x',
      ].join('\n'),
    );
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'verified' }]);
  });

  it('fails each way of turning verification off, naming it', () => {
    const findings = lint(
      rule,
      [
        'FROM node:20',
        'ENV NODE_TLS_REJECT_UNAUTHORIZED=0',
        'RUN curl -sk https://x',
        'RUN wget --no-check-certificate https://x',
        'RUN pip3 install --trusted-host pypi.internal x',
        'RUN yarn config set strict-ssl false',
        'RUN git -c http.sslVerify=false clone https://x',
        'RUN export PYTHONHTTPSVERIFY=0 && python app.py',
        'RUN helm repo add internal https://charts.internal --insecure-skip-tls-verify',
        'RUN dnf --setopt=sslverify=false install -y x',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10].map((line) => [line, 'fail', 'disabled']));
    expect(findings.map((finding) => finding.message.split(': ')[1])).toEqual([
      'NODE_TLS_REJECT_UNAUTHORIZED=0',
      'curl --insecure',
      'wget --no-check-certificate',
      'pip --trusted-host',
      'yarn strict-ssl false',
      'git http.sslVerify false',
      'PYTHONHTTPSVERIFY=0',
      'helm --insecure-skip-tls-verify',
      'dnf --setopt=sslverify=false',
    ]);
  });

  it('reads configuration files written by the build and ONBUILD triggers', () => {
    const findings = lint(rule, 'FROM alpine\nRUN printf "check_certificate = off\\n" >> /etc/wgetrc\nONBUILD RUN npm set strict-ssl false\n');
    expect(problems(findings)).toEqual([
      [2, 'fail', 'disabled'],
      [3, 'fail', 'disabled'],
    ]);
  });

  it('does not mistake values, operands or look-alike options for a disabled check', () => {
    const findings = lint(
      rule,
      [
        'FROM alpine',
        'RUN curl -- -k https://x',
        'RUN curl -o -k https://x && curl -XPOSTk https://x && curl -d @-k https://x',
        'RUN curl --insecure-ish https://x && curl https://x/--insecure && curl -H "X: --insecure" https://x',
        'RUN wget --no-check-certificates-log https://x && wget -O- https://x',
        'RUN npm config set strict-ssl true && npm install --strict-ssl=true x && echo strict-ssl false',
        'RUN git config http.sslVerify true && git config http.sslverifyx false && git -c http.sslVerify=yes clone x',
        'RUN conda config --set ssl_verify true && go get example.com/x',
        'RUN dnf --setopt=sslverify=1 install -y x && dnf --setopt=gpgcheck=0 install -y y',
        'RUN helm repo add x https://x --insecure-skip-tls-verify=false && podman pull --tls-verify=true x',
        'RUN pip install --index-url https://pypi.example/simple x && pip config set global.index-url https://x',
        'ENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1 GIT_SSL_NO_VERIFY=0 NPM_CONFIG_STRICT_SSL=true CURL_INSECURE=no PIP_TRUSTED_HOST= GOINSECURE=',
        'RUN printf "check_certificate = on\\n" > /etc/wgetrc && echo "strict-ssl=false" > /etc/npmrc.bak',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([]);
    expect(findings).toEqual([expect.objectContaining({ status: 'pass', messageId: 'verified', message: 'no TLS verification is disabled' })]);
  });

  it('fails every other spelling, once per setting and instruction, with the full message and location', () => {
    const findings = lint(
      rule,
      [
        'FROM alpine',
        'RUN curl -fsSLk https://x && curl -k https://y && curl --insecure --proxy-insecure https://z',
        'RUN npm install --strict-ssl=false x && pnpm config set enableStrictSsl false',
        'RUN git config --global http.https://x/.sslVerify false && conda config --set ssl_verify no && go get -insecure x',
        '  RUN yum --setopt=x.sslverify=0 install -y x && podman pull --tls-verify=false x && pip config set global.trusted-host x',
        'ARG GIT_SSL_NO_VERIFY=1',
        'RUN GOINSECURE=example.com go env -w GOFLAGS=-mod=mod && echo "insecure" >> /root/.curlrc',
      ].join('\n'),
    );
    expect(findings.map((finding) => [finding.location?.line, finding.location?.column, finding.message])).toEqual([
      [2, 1, 'RUN disables TLS certificate verification: curl --insecure'],
      [2, 1, 'RUN disables TLS certificate verification: curl --proxy-insecure'],
      [3, 1, 'RUN disables TLS certificate verification: npm strict-ssl false'],
      [3, 1, 'RUN disables TLS certificate verification: pnpm strict-ssl false'],
      [4, 1, 'RUN disables TLS certificate verification: git http.sslVerify false'],
      [4, 1, 'RUN disables TLS certificate verification: conda ssl_verify false'],
      [4, 1, 'RUN disables TLS certificate verification: go -insecure'],
      [5, 3, 'RUN disables TLS certificate verification: yum --setopt=x.sslverify=0'],
      [5, 3, 'RUN disables TLS certificate verification: podman --tls-verify=false'],
      [5, 3, 'RUN disables TLS certificate verification: pip config trusted-host'],
      [6, 1, 'ARG disables TLS certificate verification: GIT_SSL_NO_VERIFY=1'],
      [7, 1, 'RUN disables TLS certificate verification: GOINSECURE=example.com'],
      [7, 1, 'RUN disables TLS certificate verification: insecure in .curlrc'],
    ]);
    expect(findings[0]).toMatchObject({
      ruleId: 'DA818',
      alias: 'dockerfile-tls-verification-disabled',
      title: 'TLS certificate verification stays on',
      severity: 'high',
      status: 'fail',
      messageId: 'disabled',
      subject: { kind: 'file', name: 'Dockerfile' },
      references: { cis: [], checklist: ['IMG-4', 'IMG-2'] },
    });
    expect(findings[0]?.remediation).toMatch(/^Remove the option or variable that disables verification; if a private CA is involved/);
    expect(rule.meta.rationale).toMatch(/^With certificate checks off, anyone on the network path of the build/);
  });
});
