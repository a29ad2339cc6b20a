/**
 * What a finished report may be given on request: the comparison with a baseline (`--baseline`)
 * and the per-control view of a benchmark (`--benchmark`). Both need to know which rules the
 * run judged: those the config selects, among the families the command audits.
 */
import { benchmarkView } from '../engine/benchmark.js';
import type { Config } from '../engine/config.js';
import type { Report } from '../engine/report.js';
import { selectRules } from '../engine/select.js';
import { loadRules } from '../rules/registry.js';
import type { RuleFamily } from '../rules/types.js';
import { compareWithBaseline } from './baseline.js';
import type { ReportViewOptions } from './types.js';
import type { Scope } from './evaluate.js';
import { HOST_FAMILIES, decidableFromFiles } from './evaluate.js';

/** The families each scope judges (Dockerfile and Compose rules only find something when there are files). */
const SCOPE_FAMILIES: Record<Scope, readonly RuleFamily[] | undefined> = {
  host: undefined,
  files: ['container', 'dockerfile', 'compose'],
  images: ['image', 'dockerfile'],
  cluster: ['swarm'],
  node: HOST_FAMILIES.filter((family) => family !== 'swarm'),
};

/** Adds the baseline comparison and the benchmark view the options ask for. */
export async function addReportViews(report: Report, config: Config, scope: Scope, options: ReportViewOptions): Promise<Report> {
  if (options.baseline === undefined && options.benchmark === undefined) return report;
  const families = SCOPE_FAMILIES[scope];
  const all = await loadRules(families === undefined ? undefined : [...families]);
  const judged = new Set(selectRules(scope === 'files' ? all.filter(decidableFromFiles) : all, config).map((rule) => rule.meta.id));
  const ran = (ruleId: string): boolean => judged.has(ruleId);
  if (options.baseline !== undefined) compareWithBaseline(report, options.baseline, ran);
  if (options.benchmark !== undefined) {
    const metas = (await loadRules()).map((rule) => rule.meta);
    report.benchmark = benchmarkView(report, options.benchmark, metas, ran);
  }
  return report;
}
