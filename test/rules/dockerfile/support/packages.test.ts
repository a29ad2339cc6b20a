import { describe, expect, it } from 'vitest';
import { parseShell } from '../../../../src/parsers/dockerfile/shell.js';
import { packageCommands, packageName } from '../../../../src/rules/dockerfile/support/packages.js';

const locate = (index: number) => ({ file: 'Dockerfile', line: 1, column: index + 1 });

/** [manager, program, verb, subcommand, packages] of each package command in a script. */
function actions(script: string): [string, string, string, string, string[]][] {
  return packageCommands(parseShell(script, locate).commands).map((action) => [action.manager, action.program, action.verb, action.subcommand, action.packages]);
}

describe('packageName', () => {
  it('strips versions, extras and markers', () => {
    expect(['curl=7.88.1-10', 'openssh~9.3', 'requests==2.31', 'flask>=2', 'uvicorn[standard]>=0.2', 'x<3', 'y!=1', 'z;python_version<"3"', 'pkg@https://x', ' jq '].map(packageName)).toEqual([
      'curl',
      'openssh',
      'requests',
      'flask',
      'uvicorn',
      'x',
      'y',
      'z',
      'pkg',
      'jq',
    ]);
  });
});

describe('packageCommands', () => {
  it('reads each manager, its verb and packages, skipping option values', () => {
    expect(
      actions(
        [
          'apt-get -o Acquire::Retries=3 -y install --no-install-recommends curl=7.88 jq',
          'apt dist-upgrade -y',
          'apk add --no-cache --virtual .build gcc',
          'dnf -c /etc/dnf.conf makecache',
          'microdnf remove x',
          'tdnf clean all',
          'yum --enablerepo=x update',
          'zypper -n in -t pattern devel',
          'zypper ref',
          'pip3 install -r requirements.txt flask==2',
          'python3.11 -m pip install --upgrade pip',
          'python -m pip3 uninstall -y x',
          'python3 -W ignore -X utf8 -u -m pip download x',
          'uv pip install ruff',
          'apt-get frobnicate x',
          'apt-get',
        ].join('\n'),
      ),
    ).toEqual([
      ['apt', 'apt-get', 'install', 'install', ['curl', 'jq']],
      ['apt', 'apt', 'upgrade', 'dist-upgrade', []],
      ['apk', 'apk', 'install', 'add', ['gcc']],
      ['yum', 'dnf', 'update', 'makecache', []],
      ['yum', 'microdnf', 'remove', 'remove', ['x']],
      ['yum', 'tdnf', 'clean', 'clean', ['all']],
      ['yum', 'yum', 'upgrade', 'update', []],
      ['zypper', 'zypper', 'install', 'in', ['devel']],
      ['zypper', 'zypper', 'update', 'ref', []],
      ['pip', 'pip3', 'install', 'install', ['flask']],
      ['pip', 'python3.11 -m pip', 'install', 'install', ['pip']],
      ['pip', 'python -m pip3', 'remove', 'uninstall', ['x']],
      ['pip', 'python3 -m pip', 'other', 'download', ['x']],
      ['pip', 'uv pip', 'install', 'install', ['ruff']],
      ['apt', 'apt-get', 'other', 'frobnicate', ['x']],
      ['apt', 'apt-get', 'other', '', []],
    ]);
  });

  it('leaves programs that only look like a manager', () => {
    expect(actions('pipx install black; python3 script.py -m pip install x; python3 -c "x" -m pip install y; python3 - -m pip install z; python3 -W -m pip install w; python3 -m venv /v; python3 -m; pip-compile x; pythonic -m pip install x; uv sync; apt-cache policy x; ls')).toEqual([]);
  });

  it('keeps the arguments after the manager and remembers each list', () => {
    const commands = parseShell('sudo python3 -m pip install -U x', locate).commands;
    const [action] = packageCommands(commands);
    expect(action).toMatchObject({ args: ['install', '-U', 'x'], command: commands[0] });
    expect(packageCommands(commands)).toBe(packageCommands(commands));
  });
});
