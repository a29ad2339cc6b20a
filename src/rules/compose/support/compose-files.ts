/**
 * Helpers for the compose rules: findings per Compose file from the problems the Compose
 * analysis found, and a walk over every service.
 */
import { composeProjectsOf, type ComposeAnalysis, type ComposeProblem, type ComposeProject, type ComposeService } from '../../../parsers/compose/projects.js';
import type { Snapshot } from '../../../snapshot/types.js';
import type { RuleResult, Status, Subject } from '../../types.js';

export function fileSubject(path: string): Subject {
  return { kind: 'file', name: path };
}

export function serviceSubject(service: ComposeService): Subject {
  return { kind: 'compose-service', name: service.name };
}

/**
 * One finding per problem of `kind` in each Compose file, or one `pass` (message `passMessageId`)
 * for a file that has none. `statuses` gives the status of each problem code, which is also
 * the message id; a code missing from it is reported as it is, and the engine flags it.
 */
export function problemFindings(
  snapshot: Snapshot,
  kind: ComposeProblem['kind'],
  statuses: ReadonlyMap<string, Status>,
  passMessageId: string,
): RuleResult[] {
  const analysis = composeProjectsOf(snapshot);
  const byFile = problemsByFile(analysis).get(kind);
  const results: RuleResult[] = [];
  for (const file of analysis.files) {
    const subject = fileSubject(file.path);
    const problems = byFile?.get(file.path);
    if (problems === undefined) {
      results.push({ subject, status: 'pass', messageId: passMessageId });
      continue;
    }
    for (const problem of problems) {
      results.push({ subject, status: statuses.get(problem.code) ?? 'fail', messageId: problem.code, data: problem.data, location: problem.location });
    }
  }
  return results;
}

const groupedProblems = new WeakMap<ComposeAnalysis, Map<ComposeProblem['kind'], Map<string, ComposeProblem[]>>>();

/** The analysis's problems by kind, then by file, in their order; grouped once per analysis. */
function problemsByFile(analysis: ComposeAnalysis): Map<ComposeProblem['kind'], Map<string, ComposeProblem[]>> {
  let grouped = groupedProblems.get(analysis);
  if (grouped === undefined) {
    grouped = new Map();
    for (const problem of analysis.problems) {
      let byFile = grouped.get(problem.kind);
      if (byFile === undefined) grouped.set(problem.kind, (byFile = new Map()));
      const list = byFile.get(problem.location.file);
      if (list === undefined) byFile.set(problem.location.file, [problem]);
      else list.push(problem);
    }
    groupedProblems.set(analysis, grouped);
  }
  return grouped;
}

/** Every service of every Compose project, with its project. */
export function composeServices(snapshot: Snapshot): { service: ComposeService; project: ComposeProject }[] {
  return composeProjectsOf(snapshot).projects.flatMap((project) => project.services.map((service) => ({ service, project })));
}

/** ` (profile debug)` for a service that only starts with a profile, '' otherwise. */
export function profileNote(service: ComposeService): string {
  if (service.profiles.length === 0) return '';
  return ` (profile${service.profiles.length > 1 ? 's' : ''} ${service.profiles.join(', ')})`;
}
