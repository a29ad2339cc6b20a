/**
 * An auditd rules file for the Docker paths of this host (CIS 1.1.3–1.1.18): one watch per path
 * the audit-rule checks named, at the place it really is here (binaries where the daemon and its
 * units say they are, the data root, the socket, /etc/docker, the systemd units). Built from the
 * findings of those checks, so it names exactly what they judge. Pure: the caller prints it.
 */
import type { FixFinding as Finding } from '../../shared/fix.js';
import type { RuleMeta } from '../../types.js';
import type { Snapshot } from '../../../snapshot/types.js';
import { realPathOf, systemOf } from './host-facts.js';
import { AUDIT_MESSAGES } from './audit-check.js';

/** Message ids of an audit-rule check about a path that exists here (audited or not). */
const ABOUT_AN_EXISTING_PATH = new Set<string>(['audited', 'notLoaded', 'notPersistent', 'notAudited'] satisfies (keyof typeof AUDIT_MESSAGES)[]);
const NOT_HERE = new Set<string>(['notPresent', 'notFound', 'notVisible'] satisfies (keyof typeof AUDIT_MESSAGES | 'notFound')[]);

/** Whether a rule is one of the audit-rule checks (they share their messages). */
export function isAuditRuleCheck(meta: RuleMeta): boolean {
  return meta.family === 'host' && meta.messages['notAudited'] === AUDIT_MESSAGES.notAudited;
}

/**
 * A path an audit rules file can hold: auditctl splits a rule on white space, and a line break
 * would start a rule of its own (`-D` deletes them all).
 */
const WRITABLE_PATH = /^\/[^\s\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/;

/** Text for a comment line: nothing that could end the line. */
function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}

export interface AuditRulesFile {
  text: string;
  /** The paths watched, in order. */
  paths: string[];
  /** Paths left out (not on this host, or not visible), with the rule and the finding's message. */
  leftOut: { ruleId: string; path: string; message: string }[];
}

/**
 * The rules file from the findings of the audit-rule checks (see `isAuditRuleCheck`); `key`
 * names the rules in the audit log (`ausearch -k docker`).
 */
export function planAuditRules(snapshot: Snapshot, findings: readonly Finding[], key = 'docker'): AuditRulesFile {
  const system = systemOf(snapshot);
  const byPath = new Map<string, string[]>();
  const leftOut: AuditRulesFile['leftOut'] = [];
  for (const finding of findings) {
    const path = finding.subject.name;
    if (finding.family !== 'host' || path === undefined) continue;
    if (NOT_HERE.has(finding.messageId)) {
      leftOut.push({ ruleId: finding.ruleId, path, message: finding.message });
      continue;
    }
    if (!ABOUT_AN_EXISTING_PATH.has(finding.messageId) || system === undefined) continue;
    // A watch on a link records the link; the checks compare resolved paths, so the rule names the real one.
    const watched = realPathOf(system, path);
    if (!WRITABLE_PATH.test(watched)) {
      leftOut.push({ ruleId: finding.ruleId, path, message: 'the path holds white space or a control character, which an audit rules file cannot' });
      continue;
    }
    const why = `${finding.ruleId} ${finding.title}${finding.references.cis.length > 0 ? ` (CIS ${finding.references.cis.join(', ')})` : ''}`;
    const reasons = byPath.get(watched);
    if (reasons) {
      if (!reasons.includes(why)) reasons.push(why);
    } else byPath.set(watched, [why]);
  }
  const lines = [
    `## Docker audit rules for ${commentText(snapshot.host.hostname)} (CIS Docker Benchmark 1.1.3-1.1.18), written by dockaudit`,
    '## Install: save as /etc/audit/rules.d/docker.rules, then run augenrules --load (or restart auditd)',
  ];
  for (const [path, reasons] of byPath) {
    lines.push(`# ${commentText(reasons.join('; '))}`, `-w ${path} -p wa -k ${key}`);
  }
  for (const entry of leftOut) lines.push(`# not watched (${entry.ruleId}): ${commentText(`${entry.path}: ${entry.message}`)}`);
  if (byPath.size === 0) lines.push('# no Docker path of this host was visible: nothing to watch');
  return { text: `${lines.join('\n')}\n`, paths: [...byPath.keys()], leftOut };
}
