import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/audit/config-file.js';
import { parseConfigText } from '../../src/audit/config-yaml.js';

describe('config file reader', () => {
  it('reads YAML and JSON, and an empty file as no settings', () => {
    expect(parseConfigText('failOn: high\nignore:\n  - rule: DA504\n')).toEqual({ failOn: 'high', ignore: [{ rule: 'DA504' }] });
    expect(parseConfigText('{"failOn": "low"}')).toEqual({ failOn: 'low' });
    expect(parseConfigText('')).toBeUndefined();
    expect(parseConfigText('# only a comment\n')).toBeUndefined();
  });

  it('gives a one-line error with the line and column', () => {
    const error = (() => {
      try {
        parseConfigText('failOn: high\nignore: [\n');
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('no error');
    })();
    expect(error.message).toMatch(/ at line \d+, column \d+$/);
    expect(error.message).not.toContain('\n');
  });

  it('refuses several documents and alias bombs', () => {
    expect(() => parseConfigText('failOn: high\n---\nfailOn: low\n')).toThrow(/more than one YAML document/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, index) => `${name}: &${name} [${Array(10).fill(`*${'abcdefgh'[index]}`).join(', ')}]`)].join('\n');
    expect(() => parseConfigText(bomb)).toThrow(/alias/i);
  });

  it('never quotes the file in an error: no snippet, no tag or alias name', () => {
    const messageOf = (text: string): string => {
      try {
        parseConfigText(text);
      } catch (caught) {
        return (caught as Error).message;
      }
      throw new Error('no error');
    };
    expect(messageOf('password: *Hunter2secret\n')).toBe('unidentified alias (a word, not shown) at line 1, column 12');
    expect(messageOf('token: !Hunter2secret x\n')).toBe('unknown scalar tag (a tag, not shown) at line 1, column 8');
    expect(messageOf('token: *anchor\n')).toBe('unidentified alias "anchor" at line 1, column 9');
    expect(messageOf('root:$6$Hunter2secret:19000\n  x: 1\n- y\n')).not.toContain('Hunter2secret');
  });
});

describe('config file', () => {
  it('refuses a FIFO, a device and an oversized file at once, with one line', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'dockaudit-config-'));
    execFileSync('mkfifo', [join(directory, 'fifo.yml')]);
    symlinkSync('/dev/zero', join(directory, 'zero.yml'));
    writeFileSync(join(directory, 'big.yml'), `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    await expect(loadConfig({ file: join(directory, 'fifo.yml') })).rejects.toThrow(/^cannot read config file .*fifo\.yml: not a regular file$/);
    await expect(loadConfig({ file: join(directory, 'zero.yml') })).rejects.toThrow(/^cannot read config file .*zero\.yml: not a regular file$/);
    await expect(loadConfig({ file: join(directory, 'big.yml') })).rejects.toThrow(/big\.yml: larger than 1048576 bytes$/);
  });
});
