/**
 * The changes `watch` prints, one line each: JSON for machines, text for people. Pure.
 */
import type { Finding } from '../engine/report.js';
import { escapeControl } from '../escape.js';

/** A change as `watch` reports it (the library's `WatchChange`). */
export interface WatchChange {
  event: 'new' | 'resolved' | 'changed';
  at: string;
  finding: Finding;
  /** What caused it: a container event, or the reason for a full audit. */
  trigger: unknown;
  /** The daemon it was found on, when several are watched: its context, else its address. */
  target?: string;
}

/** The object of a change's JSON line: `event`, `at`, `target` (several daemons), `finding`, and what caused it. */
export function changeObject(change: WatchChange): Record<string, unknown> {
  return { event: change.event, at: change.at, ...(change.target !== undefined ? { target: change.target } : {}), finding: change.finding, trigger: change.trigger };
}

/** One change as a JSON line: `event`, `at`, `finding`, and what caused it. */
export function changeJson(change: WatchChange): string {
  return `${JSON.stringify(changeObject(change))}\n`;
}

/** One change as a line for people; whatever came from the host is escaped. */
export function changeText(change: WatchChange): string {
  const { finding } = change;
  const subject = `${finding.subject.kind} ${finding.subject.name ?? finding.subject.id ?? ''}`;
  const target = change.target !== undefined ? `[${escapeControl(change.target)}] ` : '';
  return `${change.at} ${target}${change.event.toUpperCase().padEnd(8)} ${finding.status} ${finding.severity} ${finding.ruleId} ${escapeControl(subject)}: ${escapeControl(finding.message)}\n`;
}
