/**
 * dockaudit as a library, used the way a project that depends on it would: the package packed
 * with `npm pack`, installed from the tarball into a fresh project, imported by its name from
 * JavaScript and type-checked from TypeScript against the declarations it ships.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures');

let project: string;

function inProject(command: string, args: string[]): string {
  return execFileSync(command, args, { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'dockaudit-package-'));
  const packed = join(project, 'packed');
  mkdirSync(packed);
  // The bundle is built already (the integration tests need it): no prepack build here.
  execFileSync('npm', ['pack', '--pack-destination', packed, '--silent', '--ignore-scripts'], { cwd: ROOT, stdio: 'pipe' });
  const tarball = readdirSync(packed).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack wrote no tarball');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'embeds-dockaudit', private: true, type: 'module' }));
  // The dependencies come from npm's cache when the project's own install filled it.
  inProject('npm', ['install', '--prefer-offline', '--no-save', '--ignore-scripts', join(packed, tarball)]);
}, 300_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('lints files through the library and gives the report the JSON format serialises', () => {
    writeFileSync(
      join(project, 'use.mjs'),
      `import { lint, outcomeOf, formatJson, loadConfig, VERSION } from 'dockaudit';
const config = await loadConfig({ cwd: process.argv[2] });
const phases = [];
const report = await lint([process.argv[2]], { config, cwd: process.argv[2], onPhase: (phase) => phases.push(phase) });
const parsed = JSON.parse(formatJson(report));
const privileged = parsed.findings.filter((finding) => finding.ruleId === 'DA505' && finding.status === 'fail');
console.log(JSON.stringify({
  version: VERSION,
  tool: parsed.tool.name,
  outcome: outcomeOf(report, config.failOn).kind,
  phases,
  privileged: privileged.map((finding) => ({ subject: finding.subject.kind, file: finding.location?.file })),
}));
`,
    );
    const app = join(project, 'app');
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.25\n    privileged: true\n');
    const result = JSON.parse(inProject('node', ['use.mjs', app])) as {
      version: string;
      tool: string;
      outcome: string;
      phases: string[];
      privileged: { subject: string; file: string }[];
    };
    expect(result.tool).toBe('dockaudit');
    expect(result.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.outcome).toBe('findings');
    expect(result.phases).toEqual(['collect', 'load rules', 'evaluate']);
    expect(result.privileged).toEqual([{ subject: 'compose-service', file: 'compose.yaml' }]);
  });

  it('is cancelled by an aborted signal with the signal reason', () => {
    writeFileSync(
      join(project, 'cancel.mjs'),
      `import { lint } from 'dockaudit';
const controller = new AbortController();
controller.abort(new Error('stopped by the caller'));
try {
  await lint([process.argv[2]], { signal: controller.signal });
  console.log('finished');
} catch (error) {
  console.log(error.message);
}
`,
    );
    expect(inProject('node', ['cancel.mjs', FIXTURES]).trim()).toBe('stopped by the caller');
  });

  it('ships declarations a TypeScript project type-checks against', () => {
    writeFileSync(
      join(project, 'use.ts'),
      `import { audit, lint, outcomeOf, type AuditOptions, type Finding, type Report, type Severity } from 'dockaudit';
const options: AuditOptions = { paths: ['.'], images: { cache: false, limits: { layers: 10 } }, onProgress: (event) => void event.kind };
const worst = (report: Report): Severity | undefined => report.findings.find((finding: Finding) => finding.status === 'fail')?.severity;
export async function gate(): Promise<boolean> {
  const report = await lint(['.']);
  void audit;
  void options;
  void worst(report);
  return outcomeOf(report, 'high').kind === 'clean';
}
// @ts-expect-error a status the report never has
const wrong: Finding['status'] = 'passed';
void wrong;
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] }, files: ['use.ts'] }),
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    expect(() => inProject('node', [tsc, '-p', 'tsconfig.json'])).not.toThrow();
  });
});
