/**
 * Inline expectations in fixture Dockerfiles, and running every Dockerfile rule over a file.
 *
 *   # expect: DA812, DA813        findings (any status but pass and skipped) on the next instruction
 *   # expect-file: DA801          findings without a location
 *   # expect-suppressed: DA810    findings on the next instruction that an inline suppression covers
 *
 * "The next instruction" is the next line that is neither blank nor a comment, the line a
 * finding's location points at.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { configSchema } from '../../../../src/engine/config.js';
import type { Finding } from '../../../../src/engine/report.js';
import { runRules } from '../../../../src/engine/run.js';
import { dockerfileRules } from '../../../../src/rules/dockerfile/index.js';
import type { AnyRule } from '../../../../src/rules/types.js';
import { snap } from '../../../helpers/builder.js';
import { workloadsFromCompose } from '../../../../src/views/from-compose.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'dockerfile');

/** Registries the harness allows, so DA806 has an allow-list to check against. */
export const ALLOWED_REGISTRIES = ['docker.io', 'gcr.io', 'ghcr.io', 'mcr.microsoft.com', 'quay.io', 'public.ecr.aws', 'registry.k8s.io', 'cgr.dev'];

const NAME = /^(Dockerfile(\..+)?|.+\.Dockerfile|Containerfile(\..+)?)$/;

/** Fixture files under `directory`, relative paths, sorted. */
export function fixtureFiles(directory: string): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (NAME.test(entry)) found.push(relative(directory, path));
    }
  };
  walk(directory);
  return found;
}

/** `line:RULE` keys (or `file:RULE`), each as many times as expected. */
export interface Expectations {
  findings: string[];
  suppressed: string[];
}

export function expectationsOf(content: string): Expectations {
  const lines = content.split(/\r?\n/);
  const findings: string[] = [];
  const suppressed: string[] = [];
  lines.forEach((text, index) => {
    const match = /^\s*#\s*expect(-file|-suppressed)?:\s*(.*)$/.exec(text);
    if (!match) return;
    const rules = (match[2] ?? '').split(',').map((rule) => rule.trim()).filter(Boolean);
    let target: string = 'file';
    if (match[1] !== '-file') {
      const next = lines.findIndex((candidate, position) => position > index && candidate.trim() !== '' && !candidate.trim().startsWith('#'));
      target = String(next + 1);
    }
    for (const rule of rules) (match[1] === '-suppressed' ? suppressed : findings).push(`${target}:${rule}`);
  });
  return { findings: findings.sort(), suppressed: suppressed.sort() };
}

let rules: AnyRule[] | undefined;

export async function loadDockerfileRules(): Promise<AnyRule[]> {
  rules ??= Object.values(dockerfileRules);
  return rules;
}

/** Runs every Dockerfile rule on one file's content, the way the CLI will. */
export function runOnContent(all: AnyRule[], path: string, content: string): Finding[] {
  const snapshot = snap()
    .with((s) => {
      s.files = { files: [{ path, kind: 'dockerfile', content }] };
    })
    .build();
  const config = configSchema.parse({ rules: { DA806: { options: { allowedRegistries: ALLOWED_REGISTRIES } } } });
  return runRules(snapshot, all, config, { toolVersion: 'test', fileWorkloads: workloadsFromCompose }).findings;
}

/** The findings an expectation file describes: everything but pass and skipped. */
export function actualOf(findings: Finding[]): Expectations {
  const key = (finding: Finding): string => `${finding.location ? finding.location.line : 'file'}:${finding.ruleId}`;
  const relevant = findings.filter((finding) => finding.status !== 'pass' && finding.status !== 'skipped');
  return {
    findings: relevant.filter((finding) => !finding.suppressed).map(key).sort(),
    suppressed: relevant.filter((finding) => finding.suppressed).map(key).sort(),
  };
}

/** Multiset difference: items of `a` not matched in `b`. */
export function missingFrom(a: readonly string[], b: readonly string[]): string[] {
  const left = [...b];
  return a.filter((item) => {
    const index = left.indexOf(item);
    if (index < 0) return true;
    left.splice(index, 1);
    return false;
  });
}

export function readFixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}
