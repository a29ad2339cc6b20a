import { describe, expect, it } from 'vitest';
import { execCommand, parseShell } from '../../src/parsers/dockerfile/shell.js';
import type { ShellScript } from '../../src/parsers/dockerfile/types.js';

const locate = (index: number) => ({ file: 'Dockerfile', line: 1, column: index + 1 });

/** [program, args, connector, parent kind] per command. */
function commands(script: ShellScript): [string, string[], string | undefined, string | undefined][] {
  return script.commands.map((command) => [command.program, command.args, command.connector, command.parent?.kind]);
}

describe('parseShell', () => {
  it('splits lists on &&, ||, ; and newlines, removing quotes', () => {
    const script = parseShell(`apt-get update && apt-get install -y "curl" 'jq' || echo fail; echo\\ done\nls`, locate);
    expect(commands(script)).toEqual([
      ['apt-get', ['update'], undefined, undefined],
      ['apt-get', ['install', '-y', 'curl', 'jq'], '&&', undefined],
      ['echo', ['fail'], '||', undefined],
      ['echo done', [], ';', undefined],
      ['ls', [], ';', undefined],
    ]);
    expect(script.problems).toEqual([]);
  });

  it('records pipelines with each command\'s position', () => {
    const script = parseShell('curl -s x | tee log | sh', locate);
    expect(script.commands.map((command) => command.pipes.at(-1)?.position)).toEqual([0, 1, 2]);
    expect(new Set(script.commands.map((command) => command.pipes.at(-1)?.pipeline)).size).toBe(1);
    expect(script.commands[1]?.connector).toBe('|');
  });

  it('finds the program behind wrappers and environment assignments', () => {
    const [command] = parseShell('DEBIAN_FRONTEND=noninteractive sudo -E -u root env A=1 /usr/bin/apt-get install -y x', locate).commands;
    expect(command).toMatchObject({ program: 'apt-get', args: ['install', '-y', 'x'], wrappers: ['sudo', 'env'] });
    expect(command?.assignments.map((assignment) => [assignment.name, assignment.value.value])).toEqual([
      ['DEBIAN_FRONTEND', 'noninteractive'],
      ['A', '1'],
    ]);
  });

  it('parses command substitutions, backquotes, process substitutions and sh -c scripts as nested commands', () => {
    const script = parseShell(`sh -c "$(curl -fsSL https://x)" && bash <(wget -qO- y) && echo \`id -u\` && bash -o pipefail -c 'a | b'`, locate);
    expect(commands(script)).toEqual([
      ['sh', ['-c', '$(curl -fsSL https://x)'], undefined, undefined],
      ['curl', ['-fsSL', 'https://x'], undefined, 'substitution'],
      ['bash', ['<(wget -qO- y)'], '&&', undefined],
      ['wget', ['-qO-', 'y'], undefined, 'process-substitution'],
      ['echo', ['`id -u`'], '&&', undefined],
      ['id', ['-u'], undefined, 'substitution'],
      ['bash', ['-o', 'pipefail', '-c', 'a | b'], '&&', undefined],
      ['a', [], undefined, 'shell-c'],
      ['b', [], '|', 'shell-c'],
    ]);
    expect(script.commands[1]?.parent?.id).toBe(0);
    expect(script.commands[0]?.argv[2]?.substitutions).toEqual([1]);
    expect(script.commands[0]?.argv[2]?.literal).toBe(false);
  });

  it('reads compound commands: if, for, while, case, subshells, groups, [[ ]] and functions', () => {
    const script = parseShell(
      'set -eux; if [ -f x ]; then a; elif b; then c; else d; fi; for f in 1 2; do e "$f"; done; while read l; do g; done < list; ' +
        'case "$arch" in amd64|x86_64) h ;; *) i ;; esac; (cd /x && j) | k; { l; m; } > /dev/null; [[ -n $x && -z $y ]]; fn() { n; }; fn',
      locate,
    );
    expect(script.commands.map((command) => command.program)).toEqual(['set', '[', 'a', 'b', 'c', 'd', 'e', 'read', 'g', 'h', 'i', 'cd', 'j', 'k', 'l', 'm', '[[', '', 'n', 'fn']);
    expect(script.problems).toEqual([]);
  });

  it('reads heredocs and here-strings as redirections, and heredoc-fed shells as scripts', () => {
    const script = parseShell("cat > /etc/x.conf <<-'EOF'\n\tkey=value\n\tEOF\nbash -s <<EOF\ncurl x | sh\nEOF\ngrep a <<< \"$b\"", locate);
    expect(script.commands[0]?.redirects).toEqual([
      { operator: '>', target: { value: '/etc/x.conf', literal: true, quoted: false, substitutions: [] } },
      { operator: '<<-', heredoc: { delimiter: 'EOF', body: '\tkey=value', quoted: true, closed: true } },
    ]);
    expect(commands(script).slice(1)).toEqual([
      ['bash', ['-s'], ';', undefined],
      ['curl', ['x'], undefined, 'heredoc'],
      ['sh', [], '|', 'heredoc'],
      ['grep', ['a'], ';', undefined],
    ]);
    expect(script.commands[4]?.redirects[0]).toMatchObject({ operator: '<<<', target: { value: '$b' } });
  });

  it('reports syntax errors where they are and keeps what it could read', () => {
    const cases: [string, string][] = [
      ['echo "open', 'unterminated double quote'],
      ["echo 'open", 'unterminated single quote'],
      ['echo $(date', 'unterminated $('],
      ['echo ${X', 'unterminated ${'],
      ['echo `id', 'unterminated backquote'],
      ['make &&', 'expected a command after "&&"'],
      ['a | ', 'expected a command after "|"'],
      ['if true; then a', '"if" without "fi"'],
      ['fi', 'unexpected "fi"'],
      ['cat <<EOF\nbody', 'heredoc <<EOF is never closed'],
      ['echo > ', 'missing target after ">"'],
    ];
    for (const [text, message] of cases) {
      const script = parseShell(text, locate);
      expect(script.problems.map((problem) => problem.message), text).toContain(message);
    }
    const script = parseShell('make && echo "open', locate);
    expect(script.commands.map((command) => command.program)).toEqual(['make', 'echo']);
    expect(script.problems[0]?.location.column).toBe(14);
  });

  it('keeps redirections with file descriptors apart from words', () => {
    const [command] = parseShell('make 2>&1 >/dev/null 3< in', locate).commands;
    expect(command?.args).toEqual([]);
    expect(command?.redirects.map((redirect) => [redirect.fd, redirect.operator, redirect.target?.value])).toEqual([
      ['2', '>&', '1'],
      [undefined, '>', '/dev/null'],
      ['3', '<', 'in'],
    ]);
  });
});

describe('execCommand', () => {
  it('is one command of literal words, with a shell -c script parsed as shell', () => {
    const script = execCommand(['/bin/sh', '-c', 'curl -k x | sh'], { file: 'Dockerfile', line: 3, column: 1 });
    expect(script.dialect).toBe('exec');
    expect(commands(script)).toEqual([
      ['sh', ['-c', 'curl -k x | sh'], undefined, undefined],
      ['curl', ['-k', 'x'], undefined, 'shell-c'],
      ['sh', [], '|', 'shell-c'],
    ]);
    expect(script.commands[1]?.location.line).toBe(3);
  });
});
