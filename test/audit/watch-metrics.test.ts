/**
 * The metrics of a watch in Prometheus' text format, and where `--metrics` listens.
 */
import { describe, expect, it } from 'vitest';
import { renderMetrics } from '../../src/audit/watch-metrics.js';
import { parseListenAddress } from '../../src/audit/limits.js';
import type { Finding } from '../../src/engine/report.js';

const finding = (ruleId: string, severity: Finding['severity'], status: Finding['status']): Finding =>
  ({ ruleId, severity, status, subject: { kind: 'container', name: 'x' }, messageId: 'm' }) as Finding;

describe('renderMetrics', () => {
  it('counts findings by rule, severity and status, and gives the counters', () => {
    const text = renderMetrics(
      { target: 'unix:///var/run/docker.sock', eventsHandled: 7, fullAudits: 2, lastFullAuditAt: 1_700_000_000_500, connected: true, reconnects: 1 },
      [finding('DA505', 'critical', 'fail'), finding('DA505', 'critical', 'fail'), finding('DA511', 'medium', 'fail'), finding('DA558', 'medium', 'warn')],
    );
    const target = 'target="unix:///var/run/docker.sock"';
    expect(text).toContain(`dockaudit_watch_findings{${target},rule="DA505",severity="critical",status="fail"} 2\n`);
    expect(text).toContain(`dockaudit_watch_findings{${target},rule="DA511",severity="medium",status="fail"} 1\n`);
    expect(text).toContain(`dockaudit_watch_findings{${target},rule="DA558",severity="medium",status="warn"} 1\n`);
    expect(text).toContain(`dockaudit_watch_events_total{${target}} 7\n`);
    expect(text).toContain(`dockaudit_watch_full_audits_total{${target}} 2\n`);
    expect(text).toContain(`dockaudit_watch_last_full_audit_timestamp_seconds{${target}} 1700000000.5\n`);
    expect(text).toContain(`dockaudit_watch_connected{${target}} 1\n`);
    expect(text).toContain(`dockaudit_watch_reconnects_total{${target}} 1\n`);
    // Every sample line is a metric name, labels and a number; every metric has HELP and TYPE.
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) dockaudit_watch_\w+ .+|dockaudit_watch_\w+\{[^\n]*\} [\d.]+)$/);
  });

  it('escapes label values', () => {
    const text = renderMetrics({ target: 'tcp://a"b\\c\nd:2375', eventsHandled: 0, fullAudits: 0, connected: false, reconnects: 0 }, []);
    expect(text).toContain('dockaudit_watch_connected{target="tcp://a\\"b\\\\c\\nd:2375"} 0\n');
  });
});

describe('parseListenAddress', () => {
  it('reads HOST:PORT, :PORT and PORT', () => {
    expect(parseListenAddress('0.0.0.0:9323')).toEqual({ host: '0.0.0.0', port: 9323 });
    expect(parseListenAddress(':9323')).toEqual({ host: undefined, port: 9323 });
    expect(parseListenAddress('9323')).toEqual({ host: '127.0.0.1', port: 9323 });
    expect(parseListenAddress('[::1]:9323')).toEqual({ host: '::1', port: 9323 });
  });

  it('refuses anything else', () => {
    expect(() => parseListenAddress('localhost')).toThrow(/--metrics/);
    expect(() => parseListenAddress(':70000')).toThrow(/--metrics/);
  });
});
