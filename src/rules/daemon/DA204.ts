import { defineRule, forDaemon } from '../define.js';
import { asBoolean, settingOf } from '../shared/daemon-facts.js';

export default defineRule({
  meta: {
    id: 'DA204',
    alias: 'daemon-iptables',
    family: 'daemon',
    title: 'Docker is allowed to make changes to iptables',
    severity: 'medium',
    rationale:
      'When the daemon manages iptables it keeps the firewall in step with the networks and published ports it creates; with iptables off, hand-written rules drift and may expose containers or isolate nothing.',
    remediation: 'Remove "iptables": false from daemon.json (or --iptables=false) and restart the daemon.',
    references: { cis: ['2.4'], checklist: ['PERF-7'] },
    needs: ['daemon', 'daemonConfig'],
    messages: {
      managed: 'iptables is {{value}} ({{origin}}): the daemon manages its firewall rules',
      disabled: 'iptables is false ({{origin}}): the daemon does not manage its firewall rules',
    },
  },
  check: forDaemon((_daemon, config) => {
    const iptables = settingOf(config, 'iptables');
    return asBoolean(iptables.value) === false
      ? { status: 'fail', messageId: 'disabled', data: { origin: iptables.origin } }
      : { status: 'pass', messageId: 'managed', data: { value: iptables.value === undefined ? 'true' : String(iptables.value), origin: iptables.origin } };
  }),
});
