import { describe, expect, it } from 'vitest';
import { signatureFileSetting, signatureVariable, tlsFileSetting, tlsVariable } from '../../../../src/rules/dockerfile/support/insecure.js';

describe('tlsVariable', () => {
  it('names the variables and values that turn TLS verification off', () => {
    const off: [string, string][] = [
      ['NODE_TLS_REJECT_UNAUTHORIZED', '0'],
      ['node_tls_reject_unauthorized', ' 0 '],
      ['PYTHONHTTPSVERIFY', '0'],
      ['GIT_SSL_NO_VERIFY', '1'],
      ['GIT_SSL_NO_VERIFY', 'true'],
      ['NPM_CONFIG_STRICT_SSL', 'FALSE'],
      ['NPM_CONFIG_STRICT_SSL', 'no'],
      ['YARN_ENABLE_STRICT_SSL', '0'],
      ['PIP_TRUSTED_HOST', 'pypi.internal'],
      ['GOINSECURE', 'example.com/*'],
      ['CURL_INSECURE', 'yes'],
    ];
    for (const [name, value] of off) expect(tlsVariable(name, value), `${name}=${value}`).toEqual({ label: `${name}=${value}` });
  });

  it('leaves values that keep verification on, and other variables', () => {
    const on: [string, string][] = [
      ['NODE_TLS_REJECT_UNAUTHORIZED', '1'],
      ['NODE_TLS_REJECT_UNAUTHORIZED', '00'],
      ['PYTHONHTTPSVERIFY', '1'],
      ['GIT_SSL_NO_VERIFY', ''],
      ['GIT_SSL_NO_VERIFY', '0'],
      ['GIT_SSL_NO_VERIFY', 'False'],
      ['GIT_SSL_NO_VERIFY', ' no '],
      ['NPM_CONFIG_STRICT_SSL', 'true'],
      ['NPM_CONFIG_STRICT_SSL', 'falsey'],
      ['YARN_ENABLE_STRICT_SSL', 'no'],
      ['YARN_ENABLE_STRICT_SSL', 'true'],
      ['PIP_TRUSTED_HOST', '  '],
      ['GOINSECURE', ''],
      ['CURL_INSECURE', 'false'],
      ['CURL_INSECURE', '0'],
      ['CURL_INSECURE', ''],
      ['HTTPS_PROXY', 'http://proxy'],
      ['GOSUMDB', 'off'],
    ];
    for (const [name, value] of on) expect(tlsVariable(name, value), `${name}=${value}`).toBeUndefined();
  });
});

describe('signatureVariable', () => {
  it('names the Go settings that skip checksum verification', () => {
    expect(signatureVariable('GOSUMDB', ' off')).toEqual({ label: 'GOSUMDB= off' });
    expect(signatureVariable('GONOSUMCHECK', '1')).toEqual({ label: 'GONOSUMCHECK=1' });
    expect(signatureVariable('GOFLAGS', '-mod=mod -insecure')).toEqual({ label: 'GOFLAGS=-mod=mod -insecure' });
    expect(signatureVariable('GOFLAGS', '-insecure')).toEqual({ label: 'GOFLAGS=-insecure' });
  });

  it('leaves the settings that keep it', () => {
    for (const [name, value] of [
      ['GOSUMDB', 'sum.golang.org'],
      ['GOSUMDB', 'offline'],
      ['GONOSUMCHECK', ''],
      ['GONOSUMCHECK', '0'],
      ['GONOSUMCHECK', 'FALSE'],
      ['GOFLAGS', '-mod=mod'],
      ['GOFLAGS', '-insecurely'],
      ['GOFLAGS', 'x-insecure'],
      ['NODE_TLS_REJECT_UNAUTHORIZED', '0'],
    ] as const) {
      expect(signatureVariable(name, value), `${name}=${value}`).toBeUndefined();
    }
  });
});

describe('tlsFileSetting', () => {
  it('finds the line that turns verification off in each tool\'s file', () => {
    const cases: [string, string, string][] = [
      ['/root/.curlrc', 'silent\n  --insecure\n', 'insecure in .curlrc'],
      ['.curlrc', '-k', 'insecure in .curlrc'],
      ['/etc/wgetrc', 'check_certificate = off\n', 'check_certificate = off in wgetrc'],
      ['/root/.wgetrc', 'Check-Certificate=OFF', 'check_certificate = off in wgetrc'],
      ['/root/.npmrc', 'registry=https://x\nstrict-ssl = false\n', 'strict-ssl=false in .npmrc'],
      ['/app/.yarnrc', 'strict-ssl false', 'strict SSL off in .yarnrc'],
      ['/app/.yarnrc.yml', 'enableStrictSsl: false', 'strict SSL off in .yarnrc'],
      ['/etc/pip.conf', '[global]\ntrusted-host = pypi.internal\n', 'trusted-host in pip configuration'],
      ['/root/pip.ini', 'trusted-host=x', 'trusted-host in pip configuration'],
      ['/root/.gitconfig', '[http]\n\tsslVerify = false\n', 'sslVerify = false in git configuration'],
      ['/etc/gitconfig', 'sslverify=false', 'sslVerify = false in git configuration'],
      ['/etc/yum.repos.d/x.repo', '[x]\nsslverify=0\n', 'sslverify=0 in a repository configuration'],
      ['/etc/dnf/dnf.conf', 'sslverify = no', 'sslverify=0 in a repository configuration'],
    ];
    for (const [file, content, label] of cases) expect(tlsFileSetting(file, content), file).toEqual({ label });
  });

  it('leaves other lines and other files', () => {
    const cases: [string, string][] = [
      ['/root/.curlrc', '--insecure-proxy\n# -k\n'],
      ['/root/.curlrc.bak', '-k'],
      ['/root/my.curlrc', '-k'],
      ['/etc/wgetrc', 'check_certificate = on'],
      ['/root/.npmrc', 'strict-ssl=true'],
      ['/root/npmrc', 'strict-ssl=false'],
      ['/app/.yarnrc', 'strict-ssl true'],
      ['/etc/pip.conf', '# trusted-host = x'],
      ['/etc/pip.cfg', 'trusted-host = x'],
      ['/root/.gitconfig', 'sslVerify = true'],
      ['/etc/yum.repos.d/x.repo', 'sslverify=1'],
      ['/etc/yum.repos.d/x.repo.bak', 'sslverify=0'],
      ['/etc/motd', 'sslverify=0\n-k\nstrict-ssl=false'],
    ];
    for (const [file, content] of cases) expect(tlsFileSetting(file, content), file).toBeUndefined();
  });
});

describe('signatureFileSetting', () => {
  it('finds the line that turns signature checks off', () => {
    const cases: [string, string, string][] = [
      ['/etc/yum.repos.d/x.repo', '[x]\ngpgcheck=0\n', 'gpgcheck=0 in a repository configuration'],
      ['/etc/yum.conf', 'repo_gpgcheck = false', 'gpgcheck=0 in a repository configuration'],
      ['/etc/apt/sources.list', 'deb [trusted=yes] http://x stable main', '[trusted=yes] in an APT source'],
      ['/etc/apt/sources.list.d/x.list', 'deb-src [arch=amd64 allow-insecure=yes] http://x stable main', '[trusted=yes] in an APT source'],
      ['/etc/apt/sources.list.d/x.sources', 'Types: deb\nTrusted: yes\n', 'Trusted: yes in an APT source'],
      ['/etc/apt/apt.conf.d/99x', 'APT::Get::AllowUnauthenticated "true";', 'unauthenticated packages allowed in APT configuration'],
      ['/etc/apt/apt.conf', 'Acquire::AllowInsecureRepositories 1;', 'unauthenticated packages allowed in APT configuration'],
    ];
    for (const [file, content, label] of cases) expect(signatureFileSetting(file, content), file).toEqual({ label });
  });

  it('leaves checks that stay on and unrelated files', () => {
    const cases: [string, string][] = [
      ['/etc/yum.repos.d/x.repo', 'gpgcheck=1'],
      ['/etc/apt/sources.list', 'deb [signed-by=/k.gpg] http://x stable main'],
      ['/etc/apt/sources.list', 'deb [trusted=no] http://x stable main'],
      ['/etc/apt/sources.list.d/x.sources', 'Trusted: no'],
      ['/etc/apt/apt.conf.d/99x', 'APT::Get::AllowUnauthenticated "false";'],
      ['/etc/motd', 'gpgcheck=0\ndeb [trusted=yes] http://x s m'],
    ];
    for (const [file, content] of cases) expect(signatureFileSetting(file, content), file).toBeUndefined();
  });
});
