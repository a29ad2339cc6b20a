import { defineRule, forDaemon, listOf } from '../define.js';
import { asBoolean, authorizationPluginsOf, hasSecurityOption, settingOf } from '../shared/daemon-facts.js';

export default defineRule({
  meta: {
    id: 'DA219',
    alias: 'daemon-docker-group-root',
    family: 'daemon',
    title: 'Control of the daemon does not amount to root on the host',
    severity: 'high',
    rationale:
      'Anyone who can use the Docker API (every member of the docker group) can start a privileged container or bind-mount / and so become root on the host, unless something in the daemon stands in the way.',
    remediation:
      'Put a real barrier in front of the API: an authorization plugin with a policy that refuses privileged and host-mounting containers, or a rootless daemon; add user-namespace remapping and a no-new-privileges default as further layers, and keep the docker group to administrators.',
    references: { cis: [], checklist: ['CMD-1'], related: ['2.12', '2.9', '2.14', '2.1'] },
    needs: ['daemon'],
    messages: {
      guarded: 'between a member of the docker group and root on the host stand: {{guards}}',
      weak: 'only {{guards}} stand between a member of the docker group and root on the host, and any client lifts them per container (--userns=host, --security-opt no-new-privileges=false); missing: {{missing}}',
      none: 'nothing stands between a member of the docker group and root on the host: {{missing}}',
    },
  },
  check: forDaemon((daemon, config) => {
    const plugins = authorizationPluginsOf(daemon.info);
    const rootless = hasSecurityOption(daemon.info, 'rootless');
    const userns = hasSecurityOption(daemon.info, 'userns');
    const noNewPrivileges =
      hasSecurityOption(daemon.info, 'no-new-privileges') ||
      asBoolean(settingOf(config, 'no-new-privileges').value) === true;

    // Barriers a client cannot lift from its own request, then layers it can.
    const strong: string[] = [];
    const weak: string[] = [];
    const missing: string[] = [];
    if (plugins.length > 0) strong.push(`authorization plugin ${listOf(plugins)}`);
    else missing.push('no authorization plugin');
    if (rootless) strong.push('rootless daemon');
    else missing.push('daemon runs as root');
    if (userns) weak.push('user-namespace remapping');
    else missing.push('no user-namespace remapping');
    if (noNewPrivileges) weak.push('no-new-privileges by default');
    else missing.push(config === undefined ? 'no-new-privileges default unknown (configuration not visible)' : 'no no-new-privileges default');

    if (strong.length > 0) return { status: 'pass', messageId: 'guarded', data: { guards: listOf([...strong, ...weak]) } };
    if (weak.length > 0) return { status: 'warn', messageId: 'weak', data: { guards: listOf(weak), missing: listOf(missing) } };
    return { status: 'fail', messageId: 'none', data: { missing: listOf(missing) } };
  }),
});
