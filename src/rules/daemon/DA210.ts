import { str } from '../../snapshot/api-document.js';
import { defineRule, forDaemon } from '../define.js';
import { hasSecurityOption, settingOf } from '../shared/daemon-facts.js';

/** The parent cgroup dockerd uses when none is configured, by cgroup driver and mode. */
function defaultCgroupParent(cgroupDriver: string, rootless: boolean): string {
  if (cgroupDriver !== 'systemd') return '/docker';
  return rootless ? 'user.slice' : 'system.slice';
}

export default defineRule({
  meta: {
    id: 'DA210',
    alias: 'daemon-cgroup-parent',
    family: 'daemon',
    title: 'The default cgroup parent is confirmed',
    severity: 'low',
    rationale:
      'The parent cgroup decides which resource limits and accounting govern every container; moving containers under another cgroup can remove limits or starve other services on the host.',
    remediation:
      'Leave "cgroup-parent" unset unless containers must live under a specific cgroup; if so, check that its limits suit every container of the daemon.',
    references: { cis: ['2.10'], checklist: ['PERF-6'] },
    needs: ['daemon', 'daemonConfig'],
    messages: {
      default: 'containers use the default parent cgroup {{parent}} ({{driver}} cgroup driver)',
      custom: 'cgroup-parent is {{parent}} ({{origin}}) instead of the default {{default}}: confirm that this cgroup and its limits are meant for every container',
    },
  },
  check: forDaemon((daemon, config) => {
    const driver = str(daemon.info, 'CgroupDriver') || 'cgroupfs';
    const fallback = defaultCgroupParent(driver, hasSecurityOption(daemon.info, 'rootless'));
    const setting = settingOf(config, 'cgroup-parent');
    const parent = typeof setting.value === 'string' && setting.value !== '' ? setting.value : fallback;
    return parent === fallback
      ? { status: 'pass', messageId: 'default', data: { parent, driver } }
      : { status: 'manual', messageId: 'custom', data: { parent, origin: setting.origin, default: fallback } };
  }),
});
