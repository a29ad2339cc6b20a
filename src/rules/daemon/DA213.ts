import { str } from '../../snapshot/api-document.js';
import { defineRule, forDaemon } from '../define.js';
import { REMOTE_LOG_DRIVERS } from '../shared/logging.js';


/** Built-in drivers that keep logs on this host, where only a separate shipper can forward them. */
const LOCAL_DRIVERS = new Set(['json-file', 'local', 'journald']);

export default defineRule({
  meta: {
    id: 'DA213',
    alias: 'daemon-remote-logging',
    family: 'daemon',
    title: 'Centralized and remote logging is configured',
    severity: 'medium',
    rationale:
      'Logs kept only on the host are lost with it and can be erased by whoever compromises it; logs sent to a central collector survive, and can be searched and correlated across hosts.',
    remediation:
      'Set "log-driver" in daemon.json to a driver that ships logs (syslog with syslog-address, gelf, fluentd, awslogs, splunk, ...) with its "log-opts", or run a collector that forwards the local log files.',
    references: { cis: ['2.13'], checklist: ['EXP-1', 'ANA-1'] },
    needs: ['daemon'],
    messages: {
      remote: 'the default logging driver {{driver}} ships container logs to a collector',
      local: 'the default logging driver {{driver}} keeps container logs on this host: they leave it only if a shipper forwards them',
      none: 'the default logging driver is none: containers keep no logs at all',
      plugin: 'the default logging driver is the plugin {{driver}}: confirm that it ships logs off this host',
      notReported: 'the daemon does not report its default logging driver (no LoggingDriver in info)',
    },
  },
  check: forDaemon((daemon) => {
    const driver = str(daemon.info, 'LoggingDriver');
    if (driver === '') return { status: 'skipped', messageId: 'notReported' };
    if (driver === 'none') return { status: 'fail', messageId: 'none' };
    if (REMOTE_LOG_DRIVERS.has(driver)) return { status: 'pass', messageId: 'remote', data: { driver } };
    if (LOCAL_DRIVERS.has(driver)) return { status: 'warn', messageId: 'local', data: { driver } };
    return { status: 'manual', messageId: 'plugin', data: { driver } };
  }),
});
