import { defineRule, forDaemon, listOf } from '../define.js';
import { asStringList, authorizationPluginsOf, settingOf } from '../shared/daemon-facts.js';

export default defineRule({
  meta: {
    id: 'DA212',
    alias: 'daemon-authorization-plugin',
    family: 'daemon',
    title: 'Authorization for Docker client commands is enabled',
    severity: 'medium',
    rationale:
      "Docker's own access control is all or nothing: whoever can reach the API may run any command, including a privileged container that owns the host. An authorization plugin decides request by request.",
    remediation:
      'Install an authorization plugin, write its policy, list it in "authorization-plugins" in daemon.json (or --authorization-plugin) and restart the daemon.',
    references: { cis: ['2.12'], checklist: ['CMD-1'] },
    needs: ['daemon'],
    messages: {
      enabled: 'authorization plugins in use: {{plugins}}',
      notApplied: 'authorization-plugins is {{plugins}} ({{origin}}) but the running daemon reports none: restart it to apply the setting',
      none: 'no authorization plugin: every client that reaches the API may run any command',
    },
  },
  check: forDaemon((daemon, config) => {
    const active = authorizationPluginsOf(daemon.info);
    if (active.length > 0) return { status: 'pass', messageId: 'enabled', data: { plugins: listOf(active) } };
    // The configuration, when visible, explains a daemon that was configured but not restarted.
    const configured = settingOf(config, 'authorization-plugins');
    const plugins = asStringList(configured.value);
    if (plugins.length > 0) return { status: 'fail', messageId: 'notApplied', data: { plugins: listOf(plugins), origin: configured.origin } };
    return { status: 'fail', messageId: 'none' };
  }),
});
