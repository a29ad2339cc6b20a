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
});
