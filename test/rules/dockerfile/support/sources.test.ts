import { describe, expect, it } from 'vitest';
import { isPlainValue, secretFileKind } from '../../../../src/rules/dockerfile/support/secrets.js';
import { gitRef, isGitSource, isHttpUrl, isLocalArchive } from '../../../../src/rules/dockerfile/support/urls.js';

describe('ADD sources', () => {
  it('tells URLs, git repositories and archives apart', () => {
    expect(['https://x/a.tgz', 'HTTP://x', 'ftp://x', 'x/https://y', 'https:/x'].map(isHttpUrl)).toEqual([true, true, false, false, false]);
    expect(
      ['git@github.com:o/r.git', 'git://x/r', 'SSH://git@x/r', 'https://github.com/o/r.git', 'https://github.com/o/r.git#v1.2:sub', 'https://x/r.git/file', 'https://x/r', 'ci/git@x', './r.git'].map(isGitSource),
    ).toEqual([true, true, true, true, true, false, false, false, false]);
    expect(['https://x/r.git#v1.2.3', 'https://x/r.git#abc:dir', 'https://x/r.git#', 'https://x/r.git'].map(gitRef)).toEqual(['v1.2.3', 'abc', '', undefined]);
    expect(['a.tar', 'a.TAR.GZ', 'a.tgz', 'a.tar.bz2', 'a.tbz', 'a.tbz2', 'a.tar.xz', 'a.txz', 'a.tar.zst', 'a.tzst', 'a.tar.lz', 'a.tar.lzma'].every(isLocalArchive)).toBe(true);
    expect(['a.zip', 'a.gz', 'a.tar.gz.sig', 'tar', 'a.tarx'].some(isLocalArchive)).toBe(false);
  });
});

describe('isPlainValue', () => {
  it('treats empty, boolean, small numbers, paths and placeholders as plain', () => {
    expect(['', '  ', 'true', 'FALSE', 'yes', 'no', 'on', 'off', 'none', 'null', 'nil', 'disable', 'disabled', 'enable', 'Enabled', '0', '123456', '/run/secrets/x', '/', '<token>', '<>'].every(isPlainValue)).toBe(true);
  });

  it('treats anything else as possibly secret', () => {
    expect(['hunter2', '1234567', 'truely', 'x/run', '/a b', '<a>b', 'a<b>', 'no way', 'sk-abc'].some(isPlainValue)).toBe(false);
  });
});

describe('secretFileKind', () => {
  it('names the kind of secret a copied path holds', () => {
    const cases: [string, string][] = [
      ['id_rsa', 'SSH private key'],
      ['/root/.ssh/id_ed25519_sk', 'SSH private key'],
      ['keys/identity', 'SSH private key'],
      ['.ssh', 'SSH directory'],
      ['/home/app/.ssh/', 'SSH directory'],
      ['tls/server.key', 'private key'],
      ['cert.P12', 'private key'],
      ['privkey.pem', 'private key'],
      ['server-key.pem', 'private key'],
      ['key.pem', 'private key'],
      ['my_privkey_2024', 'private key'],
      ['.env', '.env file'],
      ['.env.production', '.env file'],
      ['/root/.aws/credentials', 'AWS credentials'],
      ['.aws', 'AWS credentials'],
      ['.npmrc', 'npm credentials'],
      ['.pypirc', 'Python package index credentials'],
      ['.git-credentials', 'git credentials'],
      ['/root/.docker/config.json', 'Docker registry credentials'],
      ['.docker/', 'Docker registry credentials'],
      ['_netrc', 'netrc credentials'],
      ['.netrc', 'netrc credentials'],
      ['.pgpass', 'PostgreSQL password file'],
      ['kubeconfig', 'Kubernetes credentials'],
      ['/root/.kube/config', 'Kubernetes credentials'],
      ['credentials.json', 'cloud credentials'],
      ['service-account-prod.json', 'cloud credentials'],
      ['gcloud_key.json', 'cloud credentials'],
      ['application_default_credentials.json', 'cloud credentials'],
      ['.htpasswd', 'htpasswd file'],
    ];
    for (const [path, kind] of cases) expect(secretFileKind(path), path).toBe(kind);
  });

  it('leaves public keys, examples and look-alikes', () => {
    for (const path of ['id_rsa.pub', '.ssh/known_hosts.pub', '.env.example', '.env.sample', '.env.template', '.env.dist', '.env.defaults', 'env', 'my.env', 'keyboard.pem', 'monkey.txt', 'credentials', 'docker/config.json', 'kube/config', 'credentials.yaml', 'src/app.ts', 'id_rsa2', 'xid_rsa']) {
      expect(secretFileKind(path), path).toBeUndefined();
    }
  });
});
