import { defineRule, forDaemon } from '../define.js';
import { configUnavailableReason, settingOf } from '../shared/daemon-facts.js';

export default defineRule({
  meta: {
    id: 'DA203',
    alias: 'daemon-log-level',
    family: 'daemon',
    title: 'The daemon logs at level info',
    severity: 'low',
    rationale:
      'At info the daemon records the events an investigation needs; debug floods the log with noise and may record sensitive data, warn and above drop useful events.',
    remediation: 'Set "log-level": "info" in daemon.json (or remove the --log-level flag) and turn debug mode off.',
    references: { cis: ['2.3'], checklist: ['LOG-1'] },
    needs: ['daemon'],
    messages: {
      info: 'log level is info ({{origin}})',
      other: 'log level is {{level}} ({{origin}}), not info',
      notSeen: 'debug mode is off, but the configured log level is not visible: {{reason}}',
    },
  },
  check: forDaemon((daemon, config) => {
    // Debug mode overrides any log-level, and info reports it even for a remote daemon.
    if (daemon.info['Debug'] === true) {
      return { status: 'fail', messageId: 'other', data: { level: 'debug', origin: 'debug mode is on' } };
    }
    if (config === undefined) return { status: 'skipped', messageId: 'notSeen', data: { reason: configUnavailableReason(daemon) } };
    const configured = settingOf(config, 'log-level');
    const level = typeof configured.value === 'string' ? configured.value : 'info';
    return level === 'info'
      ? { status: 'pass', messageId: 'info', data: { origin: configured.origin } }
      : { status: 'fail', messageId: 'other', data: { level, origin: configured.origin } };
  }),
});
