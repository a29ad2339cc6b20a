import { defineRule, forDaemon } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA203',
    alias: 'daemon-log-level',
    family: 'daemon',
    title: 'The daemon logs at level info',
    severity: 'low',
    rationale:
      'At info the daemon records the events an investigation needs; debug floods the log with noise and may record sensitive data, warn and above drop useful events.',
    remediation: 'Set "log-level": "info" in daemon.json (or remove the --log-level flag).',
    references: { cis: ['2.3'], checklist: ['LOG-1'] },
    needs: ['daemon', 'daemonConfig'],
    messages: {
      info: 'log level is info ({{origin}})',
      other: 'log level is {{level}} ({{origin}}), not info',
    },
  },
  check: forDaemon((daemon, config) => {
    const configured = config?.settings['log-level'];
    const debug = daemon.info['Debug'] === true;
    const level = typeof configured === 'string' ? configured : debug ? 'debug' : 'info';
    const origin = typeof configured === 'string' ? `set by ${config?.origin['log-level'] ?? 'file'}` : 'default';
    return level === 'info'
      ? { status: 'pass', messageId: 'info', data: { origin } }
      : { status: 'fail', messageId: 'other', data: { level, origin } };
  }),
});
