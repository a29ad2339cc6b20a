import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/compose/DA901.js';
import { COMPOSE_LIMITS } from '../../../src/parsers/compose/projects.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeSnapshot } from './helpers.js';

describe('DA901 compose-file-readable', () => {
  it('fails a YAML syntax error at its line and column, and passes the other files', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'bad/compose.yaml': 'services:\n  web:\n    image: nginx\n   ports: []\n',
        'good/compose.yaml': 'services:\n  web:\n    image: nginx:1.27.0\n',
      }),
    );
    expect(findingFor(findings, 'bad/compose.yaml')).toMatchObject({
      status: 'fail',
      messageId: 'yamlError',
      subject: { kind: 'file' },
      // The key that breaks the indentation, where it starts.
      location: { file: 'bad/compose.yaml', line: 4, column: 4 },
    });
    expect(findingFor(findings, 'good/compose.yaml')).toMatchObject({ status: 'pass', messageId: 'parsed' });
  });

  it('never quotes the file in a YAML error: the tag or alias name is left out, the position kept', () => {
    const findings = runRule(rule, composeSnapshot({ 'compose.yaml': 'services:\n  web:\n    environment:\n      PASSWORD: *Hunter2secret\n' }));
    expect(findings[0]).toMatchObject({ status: 'fail', messageId: 'yamlError', location: { line: 4, column: 17 } });
    expect(findings[0]?.message).toBe('the file is not valid YAML: the alias *(not shown) refers to no anchor before it');
    const tagged = runRule(rule, composeSnapshot({ 'compose.yaml': 'services:\n  web:\n    image: !Hunter2secret x\n  db:\n    image: !custom y\n' }));
    expect(tagged[0]?.message).toBe('the file is not valid YAML: unresolved tag: !(not shown)');
  });

  it('reports duplicate keys, which Compose rejects', () => {
    const findings = runRule(rule, composeSnapshot({ 'compose.yaml': 'services:\n  web:\n    image: a:1\n    image: b:2\n' }));
    expect(findings[0]).toMatchObject({ status: 'fail', messageId: 'yamlError', location: { line: 4 } });
    expect(findings[0]?.message).toContain('unique');
  });

  it('refuses alias bombs, deep nesting and oversized files as errors, with a clear message', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, index) => `${name}: &${name} [${Array(10).fill(`*${'abcdefgh'[index]}`).join(', ')}]`)].join('\n');
    const findings = runRule(
      rule,
      composeSnapshot({
        'bomb/compose.yaml': bomb,
        'deep/compose.yaml': `services: ${'['.repeat(100)}${']'.repeat(100)}`,
        // Larger than any --max-file-bytes allows: only a snapshot can hold it.
        'big/compose.yaml': `services: {}\n#${'x'.repeat(COMPOSE_LIMITS.maxBytes)}`,
      }),
    );
    expect(findingFor(findings, 'bomb/compose.yaml')).toMatchObject({ status: 'error', messageId: 'aliasBomb' });
    expect(findingFor(findings, 'deep/compose.yaml')).toMatchObject({ status: 'error', messageId: 'tooDeep', location: { line: 1 } });
    const big = findingFor(findings, 'big/compose.yaml');
    expect(big).toMatchObject({ status: 'error', messageId: 'tooLarge', location: { file: 'big/compose.yaml', line: 1 } });
    expect(big.message).toBe(`the file is refused: ${COMPOSE_LIMITS.maxBytes + 14} bytes, more than the ${COMPOSE_LIMITS.maxBytes}-byte limit for a Compose file`);
  });

  it('fails a file that is not a mapping, and errors on files the collector refused', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'list/compose.yaml': '- web\n- db\n',
        'binary/compose.yaml': { path: 'binary/compose.yaml', kind: 'compose', skipped: 'binary file (contains NUL bytes)' },
      }),
    );
    expect(findingFor(findings, 'list/compose.yaml')).toMatchObject({ status: 'fail', messageId: 'notMapping' });
    const skipped = findingFor(findings, 'binary/compose.yaml');
    expect(skipped).toMatchObject({ status: 'error', messageId: 'skipped', location: { file: 'binary/compose.yaml', line: 1 } });
    expect(skipped.message).toContain('binary');
  });

  it('passes an empty file and is skipped without files', () => {
    expect(summary(runRule(rule, composeSnapshot({ 'compose.yaml': '' })))).toEqual([['compose.yaml', 'pass', 'parsed']]);
    expect(runRule(rule, composeSnapshot({}))).toEqual([]);
  });
});
