import { describe, expect, it } from 'vitest';
import { dockerfileFromHistory, parseDockerfile, type ShellCommand } from '../../../../src/parsers/dockerfile/snapshot-dockerfiles.js';
import { parseShell } from '../../../../src/parsers/dockerfile/shell.js';
import {
  assignmentsOf,
  commandVariables,
  descendantsOf,
  goEnvAssignments,
  hasShort,
  longOption,
  operands,
  optionValues,
  upstreamRunning,
  variablesOf,
  writtenFiles,
} from '../../../../src/rules/dockerfile/support/commands.js';

const locate = (index: number) => ({ file: 'Dockerfile', line: 1, column: index + 1 });

function commandsOf(script: string): ShellCommand[] {
  return parseShell(script, locate).commands;
}

/** The one command running `program` in `commands`. */
function running(commands: readonly ShellCommand[], program: string): ShellCommand {
  const found = commands.filter((command) => command.program === program);
  expect(found, `one ${program}`).toHaveLength(1);
  return found[0] as ShellCommand;
}

const DOWNLOADERS: ReadonlySet<string> = new Set(['curl', 'wget']);

describe('hasShort', () => {
  it('finds a letter alone or in a cluster', () => {
    expect(hasShort(['-k'], 'k')).toBe(true);
    expect(hasShort(['https://x', '-fsSLk'], 'k')).toBe(true);
    expect(hasShort(['-fsSL', 'https://x'], 'k')).toBe(false);
    expect(hasShort([], 'k')).toBe(false);
  });

  it('stops at a valued letter, whose value the rest of the cluster is', () => {
    expect(hasShort(['-XPOST'], 'P', 'X')).toBe(false);
    expect(hasShort(['-kXPOST'], 'k', 'X')).toBe(true);
    expect(hasShort(['-XPOST', '-k'], 'k', 'X')).toBe(true);
  });

  it('skips the word after a valued letter that ends its cluster', () => {
    expect(hasShort(['-o', '-k'], 'k', 'o')).toBe(false);
    expect(hasShort(['-so', '-k', 'https://x'], 'k', 'o')).toBe(false);
    expect(hasShort(['-o', 'f', '-k'], 'k', 'o')).toBe(true);
    expect(hasShort(['-o', '-k'], 'k')).toBe(true);
  });

  it('ignores long options, glued values and everything after --', () => {
    expect(hasShort(['--insecure'], 'k')).toBe(false);
    expect(hasShort(['--k'], 'k')).toBe(false);
    expect(hasShort(['-d@/tmp/k'], 'k')).toBe(false);
    expect(hasShort(['x-k'], 'k')).toBe(false);
    expect(hasShort(['--', '-k'], 'k')).toBe(false);
    expect(hasShort(['-s', '--', '-k'], 'k')).toBe(false);
  });
});

describe('longOption', () => {
  it('reads --name, --name=value and --name value', () => {
    expect(longOption(['--insecure'], 'insecure')).toBe(true);
    expect(longOption(['-s', '--output=/tmp/x'], 'output')).toBe('/tmp/x');
    expect(longOption(['--output=', 'x'], 'output', true)).toBe('');
    expect(longOption(['--output', '/tmp/x'], 'output', true)).toBe('/tmp/x');
    expect(longOption(['--output', '/tmp/x'], 'output')).toBe(true);
    expect(longOption(['--output'], 'output', true)).toBe(true);
  });

  it('is undefined when absent, only a prefix, single-dashed or after --', () => {
    expect(longOption([], 'insecure')).toBeUndefined();
    expect(longOption(['--insecure-redirects'], 'insecure')).toBeUndefined();
    expect(longOption(['--insecurely=1'], 'insecure')).toBeUndefined();
    expect(longOption(['-insecure'], 'insecure')).toBeUndefined();
    expect(longOption(['x--insecure'], 'insecure')).toBeUndefined();
    expect(longOption(['--', '--insecure'], 'insecure')).toBeUndefined();
  });

  it('keeps looking past other options', () => {
    expect(longOption(['--insecure-redirects', '--cacert=a', '--insecure'], 'insecure')).toBe(true);
  });
});

describe('optionValues', () => {
  it('collects every value of a repeated option, spaced or glued', () => {
    expect(optionValues(['-o', 'A=1', 'install', '-oB=2'], ['-o'])).toEqual(['A=1', 'B=2']);
    expect(optionValues(['--setopt=sslverify=0', '--setopt', 'gpgcheck=0'], ['--setopt'])).toEqual(['sslverify=0', 'gpgcheck=0']);
    expect(optionValues(['-o', 'A=1', '--option=B=2'], ['-o', '--option'])).toEqual(['A=1', 'B=2']);
  });

  it('ignores a trailing option without value and longer long options', () => {
    expect(optionValues(['install', '-o'], ['-o'])).toEqual([]);
    expect(optionValues(['--setopt'], ['--setopt'])).toEqual([]);
    expect(optionValues(['--setoptions=x', 'x'], ['--setopt'])).toEqual([]);
    expect(optionValues(['install', 'curl'], ['-o'])).toEqual([]);
  });
});

describe('operands', () => {
  it('drops options and the values of valued options', () => {
    expect(operands(['-y', 'install', '--no-install-recommends', 'curl'])).toEqual(['install', 'curl']);
    expect(operands(['-o', 'Acquire::x=1', 'install', 'jq'], new Set(['-o']))).toEqual(['install', 'jq']);
    expect(operands(['-o', 'Acquire::x=1', 'install'])).toEqual(['Acquire::x=1', 'install']);
  });

  it('keeps - and everything after --', () => {
    expect(operands(['-s', '-'])).toEqual(['-']);
    expect(operands(['a', '--', '-b', '--c'])).toEqual(['a', '-b', '--c']);
    expect(operands([])).toEqual([]);
  });
});

describe('upstreamRunning', () => {
  it('finds a program earlier in the pipeline, through other stages', () => {
    const commands = commandsOf('curl -s https://x | tee /tmp/log | sh');
    expect(upstreamRunning(commands, running(commands, 'sh'), DOWNLOADERS)).toBe(running(commands, 'curl'));
    expect(upstreamRunning(commands, running(commands, 'curl'), DOWNLOADERS)).toBeUndefined();
  });

  it('finds nothing after it, in another pipeline or without such a program', () => {
    const commands = commandsOf('sh -s < x | curl -T - https://x; curl -o f https://x; echo hi | sh');
    expect(upstreamRunning(commands, commands[0] as ShellCommand, DOWNLOADERS)).toBeUndefined();
    expect(upstreamRunning(commands, commands[3] as ShellCommand, DOWNLOADERS)).toBeUndefined();
  });

  it('picks the first in source order among stages and groups', () => {
    const commands = commandsOf('{ echo a; curl -s https://a; } | { wget -qO- https://b; } | sh');
    expect(upstreamRunning(commands, running(commands, 'sh'), DOWNLOADERS)?.program).toBe('curl');
    const later = commandsOf('echo a | wget -qO- https://b | curl -s https://a | sh');
    expect(upstreamRunning(later, running(later, 'sh'), DOWNLOADERS)?.program).toBe('wget');
  });

  it('looks through the enclosing pipelines of a nested one', () => {
    const commands = commandsOf('curl -s https://a | { wget -qO- https://b | sh; }');
    expect(upstreamRunning(commands, running(commands, 'sh'), DOWNLOADERS)?.program).toBe('curl');
    const inner = commandsOf('echo a | { wget -qO- https://b | sh; }');
    expect(upstreamRunning(inner, running(inner, 'sh'), DOWNLOADERS)?.program).toBe('wget');
  });

  it('answers again for another set of programs over the same commands', () => {
    const commands = commandsOf('curl -s https://a | tar -x | sh');
    expect(upstreamRunning(commands, running(commands, 'sh'), DOWNLOADERS)?.program).toBe('curl');
    expect(upstreamRunning(commands, running(commands, 'sh'), new Set(['tar']))?.program).toBe('tar');
    expect(upstreamRunning(commands, running(commands, 'sh'), new Set(['gpg']))).toBeUndefined();
  });
});

describe('descendantsOf', () => {
  it('lists the commands and those nested under them at any depth, in source order, once each', () => {
    const commands = commandsOf(`sh -c "echo \\$(curl -s https://x) \\$(bash -c 'wget -qO- https://y')"; ls`);
    const sh = running(commands, 'sh');
    const bash = running(commands, 'bash');
    const all = ['sh', 'echo', 'curl', 'bash', 'wget'];
    expect(descendantsOf(commands, [sh.id]).map((command) => command.program)).toEqual(all);
    expect(descendantsOf(commands, [sh.id, sh.id]).map((command) => command.program)).toEqual(all);
    expect(descendantsOf(commands, [bash.id, sh.id]).map((command) => command.program)).toEqual(all);
    expect(descendantsOf(commands, [bash.id]).map((command) => command.program)).toEqual(['bash', 'wget']);
    expect(descendantsOf(commands, [running(commands, 'ls').id]).map((command) => command.program)).toEqual(['ls']);
  });

  it('is empty for no ids and skips unknown ones', () => {
    const commands = commandsOf('echo $(curl -s https://x)');
    expect(descendantsOf(commands, [])).toEqual([]);
    expect(descendantsOf(commands, [99])).toEqual([]);
  });
});

describe('writtenFiles', () => {
  it('reads echo and printf arguments written with >, >> and >|', () => {
    expect(writtenFiles(commandsOf('echo -n "a b" > /etc/a; printf "x\\ny" >> /etc/b; echo c >| /etc/c'))).toEqual([
      { file: '/etc/a', content: 'a b' },
      { file: '/etc/b', content: 'x\ny' },
      { file: '/etc/c', content: 'c' },
    ]);
  });

  it('ignores other programs, reads, descriptor redirects and commands writing nowhere', () => {
    expect(writtenFiles(commandsOf('ls > /tmp/list; echo x 2> /tmp/err; cat < /etc/a; echo y; printf z 1> /tmp/out'))).toEqual([]);
  });

  it('reads heredocs and here-strings, and tee targets', () => {
    const commands = commandsOf("cat > /etc/pip.conf <<EOF\n[global]\ntrusted-host = x\nEOF\ntee -a /root/.npmrc <<< 'strict-ssl=false'");
    expect(writtenFiles(commands)).toEqual([
      { file: '/etc/pip.conf', content: '[global]\ntrusted-host = x' },
      { file: '/root/.npmrc', content: 'strict-ssl=false' },
    ]);
  });

  it('reads what an earlier pipeline stage echoes, once per stage', () => {
    expect(writtenFiles(commandsOf('{ echo a; printf b; ls; } | tee /etc/x /etc/y'))).toEqual([
      { file: '/etc/x', content: 'a\nb' },
      { file: '/etc/y', content: 'a\nb' },
    ]);
    expect(writtenFiles(commandsOf('echo a | { tee /etc/x; tee /etc/y; }'))).toEqual([
      { file: '/etc/x', content: 'a' },
      { file: '/etc/y', content: '' },
    ]);
    expect(writtenFiles(commandsOf('curl -s https://x | tee /etc/x'))).toEqual([{ file: '/etc/x', content: '' }]);
  });

  it('joins the words a command echoes with spaces, upstream too', () => {
    expect(writtenFiles(commandsOf('echo a  b > /etc/a; echo c d | tee /etc/b'))).toEqual([
      { file: '/etc/a', content: 'a b' },
      { file: '/etc/b', content: 'c d' },
    ]);
  });

  it('answers the same list again for the same commands', () => {
    const commands = commandsOf('echo a > /etc/a');
    expect(writtenFiles(commands)).toBe(writtenFiles(commands));
  });
});

describe('assignmentsOf and commandVariables', () => {
  it('reads prefix assignments and env', () => {
    expect(assignmentsOf(running(commandsOf('A=1 B= make'), 'make'))).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '' },
    ]);
    expect(assignmentsOf(running(commandsOf('env GIT_SSL_NO_VERIFY=1 git clone x'), 'git'))).toEqual([{ name: 'GIT_SSL_NO_VERIFY', value: '1' }]);
    expect(assignmentsOf(running(commandsOf('make install'), 'make'))).toEqual([]);
  });

  it('reads export, declare and typeset arguments, not their options or bare names', () => {
    for (const program of ['export', 'declare', 'typeset']) {
      expect(assignmentsOf(running(commandsOf(`${program} -x A=1 B =2 -n=3 C=a=b`), program)), program).toEqual([
        { name: 'A', value: '1' },
        { name: 'C', value: 'a=b' },
      ]);
    }
    expect(assignmentsOf(running(commandsOf('echo A=1'), 'echo'))).toEqual([]);
  });

  it('adds go env -w settings', () => {
    expect(commandVariables(running(commandsOf('GOPROXY=direct go env -w GOSUMDB=off -u X GOFLAGS=-insecure'), 'go'))).toEqual([
      { name: 'GOPROXY', value: 'direct' },
      { name: 'GOSUMDB', value: 'off' },
      { name: 'GOFLAGS', value: '-insecure' },
    ]);
    expect(commandVariables(running(commandsOf('go env -w GOSUMDB=off'), 'go'))).toEqual([{ name: 'GOSUMDB', value: 'off' }]);
    expect(commandVariables(running(commandsOf('A=1 make'), 'make'))).toEqual([{ name: 'A', value: '1' }]);
  });
});

describe('goEnvAssignments', () => {
  it('reads only go env -w', () => {
    expect(goEnvAssignments(running(commandsOf('go env -w GOSUMDB=off =x -w=1'), 'go'))).toEqual([{ name: 'GOSUMDB', value: 'off' }]);
    expect(goEnvAssignments(running(commandsOf('go env GOSUMDB=off'), 'go'))).toEqual([]);
    expect(goEnvAssignments(running(commandsOf('go build -w GOSUMDB=off'), 'go'))).toEqual([]);
    expect(goEnvAssignments(running(commandsOf('gofmt env -w GOSUMDB=off'), 'gofmt'))).toEqual([]);
  });
});

describe('variablesOf', () => {
  it('reads ENV and ARG pairs with a value', () => {
    const model = parseDockerfile('Dockerfile', 'FROM alpine\nENV A=1 B=2\nARG C\nARG D=4\nLABEL E=5\n');
    expect(model.instructions.map((instruction) => variablesOf(instruction))).toEqual([
      [],
      [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      [],
      [{ name: 'D', value: '4' }],
      [],
    ]);
  });

  it('reads the build arguments a history row records', () => {
    const model = dockerfileFromHistory('vendor/tool', [{ CreatedBy: '|2 TOKEN=abc EMPTY= /bin/sh -c make' }]);
    const run = model.instructions.find((instruction) => instruction.keyword === 'RUN');
    expect(run && variablesOf(run)).toEqual([
      { name: 'TOKEN', value: 'abc' },
      { name: 'EMPTY', value: '' },
    ]);
  });
});
