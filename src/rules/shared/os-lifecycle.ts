/**
 * Whether an operating system release still gets security updates, judged against the shipped
 * end-of-life table at the moment the facts were collected: one judgement for the host (DA150)
 * and for the distribution inside images (DA458).
 */
import type { Status } from '../types.js';
import { OS_EOL_TABLE_DATE, ROLLING_RELEASES, lookUpOs, osDisplayName } from './data/os-eol.js';

/** Days before the end of security support from which the finding warns. */
const WARNING_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;

export type LifecycleMessage = 'supported' | 'endingSoon' | 'endOfLife' | 'paidOnly' | 'rolling' | 'unknown';

export interface LifecycleVerdict {
  status: Status;
  messageId: LifecycleMessage;
  data: Record<string, string | number>;
}

/** The verdict for an os-release, at `collectedAt` (so re-auditing an old snapshot gives the same answer). */
export function judgeOsLifecycle(osRelease: Record<string, string>, collectedAt: string): LifecycleVerdict {
  const os = osDisplayName(osRelease);
  const tableDate = OS_EOL_TABLE_DATE;
  if (ROLLING_RELEASES.has((osRelease['ID'] ?? '').toLowerCase())) return { status: 'pass', messageId: 'rolling', data: { os } };
  const { lifecycle } = lookUpOs(osRelease);
  if (lifecycle === undefined) {
    return { status: 'manual', messageId: 'unknown', data: { os, id: osRelease['ID'] ?? 'unset', version: osRelease['VERSION_ID'] ?? 'unset', tableDate } };
  }
  const collected = Date.parse(collectedAt);
  const until = lifecycle.securityUntil;
  const endOfDay = Date.parse(`${until}T23:59:59.999Z`);
  if (collected > endOfDay) {
    if (lifecycle.paidUntil !== undefined && collected <= Date.parse(`${lifecycle.paidUntil}T23:59:59.999Z`)) {
      return { status: 'fail', messageId: 'paidOnly', data: { os, until, paidName: lifecycle.paidName ?? 'extended support', paidUntil: lifecycle.paidUntil, tableDate } };
    }
    return { status: 'fail', messageId: 'endOfLife', data: { os, until, tableDate } };
  }
  const days = Math.floor((endOfDay - collected) / DAY_MS);
  if (days < WARNING_DAYS) return { status: 'warn', messageId: 'endingSoon', data: { os, until, days, tableDate } };
  return { status: 'pass', messageId: 'supported', data: { os, until, tableDate } };
}
