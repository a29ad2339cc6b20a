import { defineRule, forDaemon } from '../define.js';
import { hasSecurityOption, settingOf } from '../shared/daemon-facts.js';

export default defineRule({
  meta: {
    id: 'DA209',
    alias: 'daemon-userns-remap',
    family: 'daemon',
    title: 'User namespace support is enabled',
    severity: 'medium',
    rationale:
      'Without user-namespace remapping, root in a container is root on the host: a process that escapes the container, or writes through a bind mount, acts with full host privileges.',
    remediation:
      'Set "userns-remap": "default" (or a dedicated user) in daemon.json and restart the daemon; run the few containers that need host ids with --userns=host.',
    references: { cis: ['2.9'], checklist: ['NS-5', 'CMD-1'] },
    needs: ['daemon'],
    messages: {
      remapped: 'the daemon remaps container users (SecurityOptions has name=userns)',
      rootless: 'the daemon runs rootless: container root maps to the unprivileged user running the daemon',
      notApplied: 'userns-remap is {{value}} ({{origin}}) but the running daemon does not remap users: restart it to apply the setting',
      notEnabled: 'user-namespace remapping is not enabled: root in a container is root on the host',
    },
  },
  check: forDaemon((daemon, config) => {
    if (hasSecurityOption(daemon.info, 'userns')) return { status: 'pass', messageId: 'remapped' };
    if (hasSecurityOption(daemon.info, 'rootless')) return { status: 'pass', messageId: 'rootless' };
    // The configuration, when visible, explains a daemon that was configured but not restarted.
    const remap = settingOf(config, 'userns-remap');
    if (typeof remap.value === 'string' && remap.value !== '') {
      return { status: 'fail', messageId: 'notApplied', data: { value: remap.value, origin: remap.origin } };
    }
    return { status: 'fail', messageId: 'notEnabled' };
  }),
});
