/**
 * A watch change as a syslog message. Pure: the caller gives the host name and process id.
 *
 * - Over the network (udp://, tcp://): RFC 5424,
 *   `<PRI>1 2026-12-07T21:00:30.014Z host dockaudit 4242 new - NEW fail critical DA505 container web: …`
 *   (MSGID is the change's event; no structured data).
 * - To a local socket (/dev/log) the line is what the local daemon is handed by syslog(3) and
 *   logger(1): the priority and the message; the local writer adds `Mmm dd hh:mm:ss dockaudit[PID]:`.
 *
 * Facility `daemon`; the severity follows the finding's: critical → crit, high → err, medium →
 * warning, low → notice, info → info, a rule error → err, and a resolved finding → notice.
 * Everything from the host is escaped (control and bidi characters shown as `\x1b`, `\n`, …), so
 * one change is one message and cannot forge another.
 */
import type { Severity } from '../rules/types.js';
import { escapeControl } from '../escape.js';
import type { WatchChange } from './watch.js';

/** The `daemon` facility. */
export const SYSLOG_FACILITY = 3;

/** The longest message part sent; longer ones end with `…`. Receivers must take 2048 bytes (RFC 5424 §6.1). */
export const MAX_SYSLOG_MESSAGE_BYTES = 1900;

const LEVEL: Readonly<Record<Severity, number>> = { critical: 2, high: 3, medium: 4, low: 5, info: 6 };

/** The syslog priority (facility × 8 + severity) of a change. */
export function syslogPriority(change: WatchChange): number {
  const level = change.event === 'resolved' ? 5 : change.finding.status === 'error' ? 3 : LEVEL[change.finding.severity];
  return SYSLOG_FACILITY * 8 + level;
}

/** The message part: event, status, severity, rule, subject and message, on one line, escaped and bounded. */
export function syslogMessage(change: WatchChange): string {
  const { finding } = change;
  const target = change.target !== undefined ? `[${change.target}] ` : '';
  const subject = `${finding.subject.kind} ${finding.subject.name ?? finding.subject.id ?? ''}`;
  const text = escapeControl(`${target}${change.event.toUpperCase()} ${finding.status} ${finding.severity} ${finding.ruleId} ${subject}: ${finding.message}`);
  if (Buffer.byteLength(text) <= MAX_SYSLOG_MESSAGE_BYTES) return text;
  // Cut in bytes, back to the start of a character: one pass, however much is cut. (The first
  // MAX characters hold at least MAX bytes, so the cut falls inside them.)
  const bytes = Buffer.from(text.slice(0, MAX_SYSLOG_MESSAGE_BYTES), 'utf8');
  let end = MAX_SYSLOG_MESSAGE_BYTES - 3;
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end -= 1;
  return `${bytes.subarray(0, end).toString('utf8')}…`;
}

/** A header field of RFC 5424: printable US-ASCII without spaces, at most `max` characters, `-` when empty. */
function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? '-' : clean;
}

/** One RFC 5424 message (no trailing newline; the transport frames it). */
export function rfc5424(change: WatchChange, hostname: string, pid: number): string {
  return `<${syslogPriority(change)}>1 ${change.at} ${headerField(hostname, 255)} dockaudit ${pid} ${change.event} - ${syslogMessage(change)}`;
}

/** One line for a local writer that adds the time and tag itself (logger --prio-prefix): `<PRI>message`. */
export function localSyslogLine(change: WatchChange): string {
  return `<${syslogPriority(change)}>${syslogMessage(change)}`;
}
