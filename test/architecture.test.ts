/**
 * The layering, checked on the imports themselves: data flows collect -> snapshot -> rules ->
 * engine -> report, and only collect (and the command line around it) touches the host. Rule
 * families share helpers through src/rules/shared/, never through another family's folder.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/** Modules that reach outside the process: files, processes, sockets, threads. */
const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|tls|worker_threads|readline|os)$/;

interface Import {
  from: string;
  /** The imported module: a path relative to src/ for the project's own, the specifier otherwise. */
  target: string;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(directory, name));
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s*'([^']+)'/g)) {
    const specifier = (match[1] ?? match[2] ?? match[3])!;
    const target = specifier.startsWith('.') ? relative(SRC, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts') : specifier;
    found.push({ from: relative(SRC, file), target });
  }
  return found;
}

const IMPORTS = sourceFiles(SRC).flatMap(importsOf);

function layerOf(path: string): string {
  return path.split('/')[0]!;
}

describe('import boundaries', () => {
  it('finds the imports it judges', () => {
    expect(IMPORTS.length).toBeGreaterThan(500);
    expect(IMPORTS.some((entry) => entry.from.startsWith('rules/') && entry.target === 'rules/define.ts')).toBe(true);
  });

  it('rules, engine, report, snapshot, parsers and views do no I/O', () => {
    const offenders = IMPORTS.filter((entry) => ['rules', 'engine', 'report', 'snapshot', 'parsers', 'views'].includes(layerOf(entry.from)) && IO_MODULES.test(entry.target));
    expect(offenders).toEqual([]);
  });

  it("the guard's decision does no I/O: only its socket server does", () => {
    const offenders = IMPORTS.filter((entry) => entry.from.startsWith('guard/') && entry.from !== 'guard/server.ts' && IO_MODULES.test(entry.target));
    expect(offenders).toEqual([]);
    expect(IMPORTS.some((entry) => entry.from === 'guard/decide.ts' && entry.target === 'engine/run.ts')).toBe(true);
  });

  it('the command line reaches the pipeline only through src/audit', () => {
    const offenders = IMPORTS.filter((entry) => layerOf(entry.from) === 'cli' && ['collect', 'engine', 'rules', 'views', 'parsers', 'guard'].includes(layerOf(entry.target)));
    expect(offenders).toEqual([]);
  });

  it('each layer imports only the layers below it', () => {
    const below: Record<string, string[]> = {
      snapshot: ['snapshot'],
      parsers: ['parsers', 'snapshot'],
      views: ['views', 'parsers', 'snapshot'],
      rules: ['rules', 'views', 'parsers', 'snapshot'],
      engine: ['engine', 'rules', 'views', 'parsers', 'snapshot'],
      report: ['report', 'engine', 'rules', 'views', 'snapshot'],
      collect: ['collect', 'parsers', 'views', 'snapshot'],
      guard: ['guard', 'engine', 'report', 'rules', 'views', 'parsers', 'snapshot'],
      audit: ['audit', 'guard', 'collect', 'engine', 'report', 'rules', 'views', 'parsers', 'snapshot'],
    };
    const shared = ['errors.ts', 'escape.ts', 'version.ts', 'zod.ts'];
    const offenders = IMPORTS.filter((entry) => {
      const allowed = below[layerOf(entry.from)];
      // Packages (no .ts) and the modules every layer may use are not layers.
      if (allowed === undefined || !entry.target.endsWith('.ts') || shared.includes(entry.target)) return false;
      return !allowed.includes(layerOf(entry.target));
    });
    expect(offenders).toEqual([]);
  });

  it('no rule family imports another family: shared helpers live in src/rules/shared/', () => {
    const familyOf = (path: string): string | undefined => {
      const [layer, family, ...rest] = path.split('/');
      return layer === 'rules' && rest.length > 0 && family !== 'shared' ? family : undefined;
    };
    const offenders = IMPORTS.filter((entry) => {
      const from = familyOf(entry.from);
      const to = familyOf(entry.target);
      return from !== undefined && to !== undefined && from !== to;
    });
    expect(offenders).toEqual([]);
  });

  it('shared rule helpers belong to no family', () => {
    const offenders = IMPORTS.filter((entry) => entry.from.startsWith('rules/shared/') && /^rules\/(?!shared\/)[a-z]+\//.test(entry.target));
    expect(offenders).toEqual([]);
  });
});
