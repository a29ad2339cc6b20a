/**
 * The types of `watch`: its options, the changes it tells and what caused them, its counters and
 * its handle.
 */
import type { Finding } from '../engine/report.js';
import type { Status } from '../rules/types.js';
import type { JudgeOptions, TargetOptions } from './types.js';
import type { ChangeKind } from './watch-store.js';

/** What made the watch judge again: a daemon event, or a full audit and why. */
export type WatchTrigger = EventTrigger | AuditTrigger;

/**
 * A daemon event: its type (`container`, `network`, `image`, `service`, `node`), action, the
 * actor's id (for a network's `connect`, the network's; the container it names is judged) and the
 * event's own time, in nanoseconds since the epoch.
 */
export interface EventTrigger {
  type: 'container' | 'network' | 'image' | 'service' | 'node';
  action: string;
  id: string;
  timeNano: string;
}

/** A full audit: at the start, after a reconnection, on a daemon reload, or again after one failed. */
export interface AuditTrigger {
  type: 'audit';
  action: 'start' | 'reconnect' | 'reload' | 'retry';
}

/** One change: what the JSON line says (`event`, `at`, `finding`) and what caused it. */
export interface WatchChange {
  event: ChangeKind;
  /** When the change was found (ISO 8601). */
  at: string;
  /** The finding as the JSON report has it; for `resolved`, as it was last seen. */
  finding: Finding;
  trigger: WatchTrigger;
  /** The daemon it was found on, when several are watched: its context, else its address. */
  target?: string;
}

/** Counters of a running watch (for `--metrics`). */
export interface WatchStats {
  /** The daemon's address. */
  target: string;
  /** Events read from the stream and handled. */
  eventsHandled: number;
  /** Full audits that completed, and when the last one ended (ms since the epoch). */
  fullAudits: number;
  lastFullAuditAt?: number;
  /** Whether the event stream is open now. */
  connected: boolean;
  /** Times the stream was opened again after it ended or failed. */
  reconnects: number;
}

export interface WatchOptions extends TargetOptions, JudgeOptions {
  /**
   * Several daemons to watch at once, each with its address or context (and options of its own);
   * the options above are their defaults. With more than one, each change names its `target`, and
   * each daemon is followed, reconnected and audited on its own.
   */
  targets?: TargetOptions[];
  /** Called for each change, in order. */
  onChange: (change: WatchChange) => void;
  /** Something a person should know: the stream ended, a reconnection, an audit left incomplete. */
  onNotice?: (message: string) => void;
  /** Statuses followed (default fail, warn, error); suppressed findings are never followed. */
  statuses?: readonly Status[];
  /** Tell the findings of the first audit as `new` (default true). */
  baseline?: boolean;
  /** Reconnection waits: the first, and the cap of the doubling (defaults 0.5 s and 30 s). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Milliseconds between pings of the daemon while watching (default 60 s; 0: none). */
  heartbeatMs?: number;
  /** Ends the watch, as `stop()` does. */
  signal?: AbortSignal;
}

export interface WatchHandle {
  /** Ends the watch: the stream is closed and requests in flight end. Resolves when it has stopped. */
  stop(): Promise<void>;
  /** Settles when the watch ends: resolves after `stop()`, rejects on an error it cannot go on from (a bad config). */
  readonly done: Promise<void>;
  stats(): WatchStats;
  /** The findings followed now. */
  findings(): Finding[];
  /** Each target's counters and findings (one entry per daemon watched). */
  targets(): { stats: WatchStats; findings: Finding[] }[];
}
