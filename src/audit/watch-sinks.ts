/**
 * Where a watch's changes go besides stdout: a webhook (through its spool) and syslog. Each sink
 * gets every change in order; none can stop the watch or the others.
 */
import type { WatchChange } from '../report/watch.js';
import { openSyslog, type SyslogSink } from './watch-syslog.js';
import { WebhookSink } from './watch-webhook.js';

export interface WatchSinkOptions {
  env?: NodeJS.ProcessEnv;
  onNotice?: (message: string) => void;
  /** POST each change here (see watch-webhook.ts). */
  webhook?: string;
  webhookTimeoutMs?: number;
  webhookBackoffInitialMs?: number;
  webhookBackoffMaxMs?: number;
  spoolDirectory?: string;
  spoolMaxBytes?: number;
  /** `unix:///dev/log`, `udp://host:port` or `tcp://host:port`. */
  syslog?: string;
}

export interface WatchSinks {
  /** Hands a change (and the object of its JSON line) to every sink. */
  push(change: WatchChange, object: Record<string, unknown>): void;
  /** Stops the sinks; the webhook's spool holds every change pushed when it resolves. Safe to call twice. */
  close(): Promise<void>;
  /** The sinks' Prometheus metrics (empty without sinks). */
  metrics(): string;
}

function metricLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export async function openWatchSinks(options: WatchSinkOptions): Promise<WatchSinks> {
  const notice = options.onNotice ?? (() => undefined);
  const webhook =
    options.webhook === undefined
      ? undefined
      : await WebhookSink.open({
          url: options.webhook,
          ...(options.env ? { env: options.env } : {}),
          ...(options.spoolDirectory !== undefined ? { spoolDirectory: options.spoolDirectory } : {}),
          ...(options.spoolMaxBytes !== undefined ? { spoolMaxBytes: options.spoolMaxBytes } : {}),
          ...(options.webhookTimeoutMs !== undefined ? { timeoutMs: options.webhookTimeoutMs } : {}),
          ...(options.webhookBackoffInitialMs !== undefined ? { backoffInitialMs: options.webhookBackoffInitialMs } : {}),
          ...(options.webhookBackoffMaxMs !== undefined ? { backoffMaxMs: options.webhookBackoffMaxMs } : {}),
          onNotice: notice,
        });
  let syslog: SyslogSink | undefined;
  try {
    syslog = options.syslog === undefined ? undefined : openSyslog(options.syslog, notice);
  } catch (error) {
    await webhook?.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    push(change, object) {
      void webhook?.push(object);
      syslog?.push(change);
    },
    close() {
      closing ??= Promise.all([webhook?.close(), syslog?.close()]).then(() => undefined);
      return closing;
    },
    metrics() {
      const lines: string[] = [];
      if (webhook !== undefined) {
        const stats = webhook.stats();
        const label = `{receiver="${metricLabel(stats.receiver)}"}`;
        lines.push(
          '# HELP dockaudit_watch_webhook_delivered_total Changes the webhook receiver took (2xx).',
          '# TYPE dockaudit_watch_webhook_delivered_total counter',
          `dockaudit_watch_webhook_delivered_total${label} ${stats.delivered}`,
          '# HELP dockaudit_watch_webhook_failures_total Webhook requests that failed (no answer in time, refused, not 2xx).',
          '# TYPE dockaudit_watch_webhook_failures_total counter',
          `dockaudit_watch_webhook_failures_total${label} ${stats.failures}`,
          '# HELP dockaudit_watch_webhook_dropped_total Changes dropped undelivered: the spool was full, or a spool file could not be written or read.',
          '# TYPE dockaudit_watch_webhook_dropped_total counter',
          `dockaudit_watch_webhook_dropped_total${label} ${stats.dropped}`,
          '# HELP dockaudit_watch_webhook_spool_changes Changes waiting in the spool.',
          '# TYPE dockaudit_watch_webhook_spool_changes gauge',
          `dockaudit_watch_webhook_spool_changes${label} ${stats.pending}`,
          '# HELP dockaudit_watch_webhook_spool_bytes Bytes waiting in the spool.',
          '# TYPE dockaudit_watch_webhook_spool_bytes gauge',
          `dockaudit_watch_webhook_spool_bytes${label} ${stats.pendingBytes}`,
        );
      }
      if (syslog !== undefined) {
        const stats = syslog.stats();
        const label = `{address="${metricLabel(stats.address)}"}`;
        lines.push(
          '# HELP dockaudit_watch_syslog_sent_total Changes handed to syslog.',
          '# TYPE dockaudit_watch_syslog_sent_total counter',
          `dockaudit_watch_syslog_sent_total${label} ${stats.sent}`,
          '# HELP dockaudit_watch_syslog_dropped_total Changes not sent to syslog (its connection or writer down too long).',
          '# TYPE dockaudit_watch_syslog_dropped_total counter',
          `dockaudit_watch_syslog_dropped_total${label} ${stats.dropped}`,
          '# HELP dockaudit_watch_syslog_failures_total Errors sending to syslog.',
          '# TYPE dockaudit_watch_syslog_failures_total counter',
          `dockaudit_watch_syslog_failures_total${label} ${stats.failures}`,
        );
      }
      return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
    },
  };
}
