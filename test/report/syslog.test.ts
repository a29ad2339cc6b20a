/**
 * A watch change as a syslog message: priority from the finding, RFC 5424 header fields, control
 * characters escaped so one change is one message, long messages bounded.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/report.js';
import { MAX_SYSLOG_MESSAGE_BYTES, localSyslogLine, rfc5424, syslogMessage, syslogPriority } from '../../src/report/syslog.js';
import type { WatchChange } from '../../src/report/watch.js';
import { bestCpuMs } from '../helpers/cpu.js';

const finding = (extra: Partial<Finding> = {}): Finding =>
  ({ ruleId: 'DA505', severity: 'critical', status: 'fail', subject: { kind: 'container', id: 'abc', name: 'web' }, message: 'container runs privileged', messageId: 'privileged', ...extra }) as Finding;
const change = (extra: Partial<WatchChange> = {}, found: Partial<Finding> = {}): WatchChange => ({ event: 'new', at: '2026-12-07T21:00:30.014Z', finding: finding(found), trigger: {}, ...extra });

describe('syslog messages of watch changes', () => {
  it('takes the severity from the finding, notice for a resolved one, err for a rule error; facility daemon', () => {
    expect(syslogPriority(change())).toBe(3 * 8 + 2);
    expect(syslogPriority(change({}, { severity: 'high' }))).toBe(27);
    expect(syslogPriority(change({}, { severity: 'medium' }))).toBe(28);
    expect(syslogPriority(change({}, { severity: 'low' }))).toBe(29);
    expect(syslogPriority(change({}, { severity: 'info' }))).toBe(30);
    expect(syslogPriority(change({}, { severity: 'low', status: 'error' }))).toBe(27);
    expect(syslogPriority(change({ event: 'resolved' }))).toBe(29);
  });

  it('writes RFC 5424 with the event as MSGID and a clean host name', () => {
    expect(rfc5424(change(), 'host one\n', 42)).toBe('<26>1 2026-12-07T21:00:30.014Z hostone dockaudit 42 new - NEW fail critical DA505 container web: container runs privileged');
    expect(rfc5424(change(), '', 42)).toContain(' - dockaudit 42 ');
    expect(localSyslogLine(change({ event: 'resolved', target: 'prod' }))).toBe('<29>[prod] RESOLVED fail critical DA505 container web: container runs privileged');
  });

  it('escapes control characters from the host, so a name cannot start another message', () => {
    const text = syslogMessage(change({}, { subject: { kind: 'container', name: 'x\n<26>1 forged\u001b[2J' }, message: 'a\rb' }));
    expect(text).not.toMatch(/[\u0000-\u001f]/);
    expect(text).toContain('x\\n<26>1 forged\\x1b[2J');
    expect(text).toContain('a\\rb');
  });

  it('bounds the message', () => {
    const text = syslogMessage(change({}, { message: 'é'.repeat(5000) }));
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_SYSLOG_MESSAGE_BYTES);
    expect(text.endsWith('…')).toBe(true);
  });

  it('cuts a long message of multibyte text at a character, in time that does not grow with how much is cut', () => {
    for (const char of ['é', '日', '😀']) {
      const text = syslogMessage(change({}, { message: char.repeat(5000) }));
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_SYSLOG_MESSAGE_BYTES);
      expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_SYSLOG_MESSAGE_BYTES - 8);
      expect(text).not.toContain('\ufffd');
      expect(text.endsWith(`${char}…`)).toBe(true);
    }
    const cpu = (message: string): number =>
      bestCpuMs(() => {
        for (let index = 0; index < 200; index += 1) syslogMessage(change({}, { message }));
      });
    cpu('a'.repeat(5000));
    // The same number of characters, three bytes each: about two thirds of them cut.
    expect(cpu('日'.repeat(5000)) / Math.max(cpu('a'.repeat(5000)), 5)).toBeLessThan(8);
  });
});
