import { defineRule, forDaemon } from '../define.js';
import { asBoolean, configUnavailableReason, hasSecurityOption, settingOf } from '../shared/daemon-facts.js';

export default defineRule({
  meta: {
    id: 'DA214',
    alias: 'daemon-no-new-privileges',
    family: 'daemon',
    title: 'Containers are restricted from acquiring new privileges by default',
    severity: 'medium',
    rationale:
      'Without no-new-privileges a process in a container can gain privileges through setuid and setgid binaries or file capabilities; the daemon-wide default closes that for every container that does not opt out.',
    remediation: 'Set "no-new-privileges": true in daemon.json (or --no-new-privileges) and restart the daemon.',
    references: { cis: ['2.14'], checklist: ['POL-4', 'CMD-1'] },
    needs: ['daemon'],
    messages: {
      reported: 'the daemon reports no-new-privileges in its SecurityOptions',
      enabled: 'no-new-privileges is true ({{origin}}): containers cannot gain privileges unless they opt out',
      disabled: 'no-new-privileges is {{value}} ({{origin}}): containers may gain privileges through setuid binaries',
      notSeen: 'the daemon does not report no-new-privileges and its configuration is not visible: {{reason}}',
    },
  },
  check: forDaemon((daemon, config) => {
    if (hasSecurityOption(daemon.info, 'no-new-privileges')) return { status: 'pass', messageId: 'reported' };
    if (config === undefined) return { status: 'skipped', messageId: 'notSeen', data: { reason: configUnavailableReason(daemon) } };
    const setting = settingOf(config, 'no-new-privileges');
    return asBoolean(setting.value) === true
      ? { status: 'pass', messageId: 'enabled', data: { origin: setting.origin } }
      : { status: 'fail', messageId: 'disabled', data: { value: setting.value === undefined ? 'false' : String(setting.value), origin: setting.origin } };
  }),
});
