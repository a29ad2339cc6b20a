/**
 * Which of a daemon's containers an audit looks at: `--containers GLOB`, `--exclude-containers
 * GLOB` and `--label KEY[=VALUE]`. Pure, so collection can leave the others unread (no inspect,
 * no processes) and an audit of a snapshot can drop them the same way.
 */
import { UsageError } from '../errors.js';
import { obj, str, stringRecord } from './api-document.js';
import type { ContainerFacts } from './types.js';

export interface ContainerSelection {
  /** Name globs (`*`, `?`); a container is kept when it matches one. Empty or absent: every container. */
  include?: string[];
  /** Name globs; a container that matches one is left out, even when `include` names it. */
  exclude?: string[];
  /** `KEY` or `KEY=VALUE`; a container is kept only when it carries every one. */
  labels?: string[];
}

/** Whether the selection leaves any container out. */
export function selectsContainers(selection: ContainerSelection | undefined): selection is ContainerSelection {
  return selection !== undefined && (selection.include?.length ?? 0) + (selection.exclude?.length ?? 0) + (selection.labels?.length ?? 0) > 0;
}

const globs = new Map<string, RegExp>();

/** A glob as a whole-name pattern: `*` any run of characters, `?` one, everything else literal. */
function globPattern(glob: string): RegExp {
  let pattern = globs.get(glob);
  if (pattern === undefined) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    pattern = new RegExp(`^${body}$`, 's');
    globs.set(glob, pattern);
  }
  return pattern;
}

/** Checks the label filters: `KEY` or `KEY=VALUE` with a key that is not empty. */
export function validateLabelFilters(labels: readonly string[], origin: string): void {
  for (const label of labels) {
    if (label === '' || label.startsWith('=')) throw new UsageError(`${origin}: "${label}" is not a label filter: expected KEY or KEY=VALUE`);
  }
}

function matchesLabels(labels: Record<string, string>, filters: readonly string[]): boolean {
  return filters.every((filter) => {
    const equals = filter.indexOf('=');
    if (equals < 0) return Object.hasOwn(labels, filter);
    return labels[filter.slice(0, equals)] === filter.slice(equals + 1);
  });
}

/**
 * Whether a container (its name without the leading `/`, its id and its labels) is selected.
 * A glob matches the name, or the id when it is the full id or at least 12 of its first characters.
 */
export function containerSelected(selection: ContainerSelection | undefined, name: string, id: string, labels: Record<string, string>): boolean {
  if (selection === undefined) return true;
  const matches = (glob: string): boolean => globPattern(glob).test(name) || (id !== '' && glob.length >= 12 && id.startsWith(glob));
  const { include = [], exclude = [], labels: labelFilters = [] } = selection;
  if (include.length > 0 && !include.some(matches)) return false;
  if (exclude.some(matches)) return false;
  return matchesLabels(labels, labelFilters);
}

/** The same question over an inspected container, for an audit of a snapshot. */
export function inspectedSelected(selection: ContainerSelection | undefined, facts: ContainerFacts): boolean {
  const inspect = facts.inspect;
  return containerSelected(selection, str(inspect, 'Name').replace(/^\//, ''), str(inspect, 'Id'), stringRecord(obj(obj(inspect, 'Config'), 'Labels')));
}
