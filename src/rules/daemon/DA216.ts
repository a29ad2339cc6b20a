import { defineRule, forDaemon } from '../define.js';
import { asBoolean, settingOf } from '../shared/daemon-facts.js';

export default defineRule({
  meta: {
    id: 'DA216',
    alias: 'daemon-userland-proxy',
    family: 'daemon',
    title: 'The userland proxy is disabled',
    severity: 'low',
    rationale:
      'The userland proxy runs a docker-proxy process per published port, which widens the attack surface and hides the real client address; hairpin NAT and iptables do the same job in the kernel.',
    remediation: 'Set "userland-proxy": false in daemon.json (or --userland-proxy=false) and restart the daemon.',
    references: { cis: ['2.16'], checklist: ['PERF-7'] },
    needs: ['daemon', 'daemonConfig'],
    messages: {
      disabled: 'userland-proxy is false ({{origin}})',
      enabled: 'userland-proxy is {{value}} ({{origin}}): a docker-proxy process serves every published port',
    },
  },
  check: forDaemon((_daemon, config) => {
    const setting = settingOf(config, 'userland-proxy');
    return asBoolean(setting.value) === false
      ? { status: 'pass', messageId: 'disabled', data: { origin: setting.origin } }
      : { status: 'fail', messageId: 'enabled', data: { value: setting.value === undefined ? 'true' : String(setting.value), origin: setting.origin } };
  }),
});
