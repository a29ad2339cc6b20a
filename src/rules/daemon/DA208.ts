import { defineRule, forDaemon } from '../define.js';
import { settingOf } from '../shared/daemon-facts.js';

/** `nofile=1024:2048` for one daemon.json ulimit entry ({ Name, Soft, Hard }). */
function describeUlimit(name: string, entry: unknown): string {
  if (typeof entry !== 'object' || entry === null) return `${name}=${String(entry)}`;
  const { Soft: soft, Hard: hard } = entry as Record<string, unknown>;
  return `${name}=${String(soft ?? '?')}:${String(hard ?? '?')}`;
}

export default defineRule({
  meta: {
    id: 'DA208',
    alias: 'daemon-default-ulimits',
    family: 'daemon',
    title: 'Default ulimits are configured on the daemon',
    severity: 'low',
    rationale:
      'Without default ulimits every container inherits the limits of the daemon, often unlimited open files and processes, so one container can exhaust what the host and the others need.',
    remediation:
      'Set "default-ulimits" in daemon.json (for example nofile and nproc) to values that fit the workloads, and override them per container where one needs more.',
    references: { cis: ['2.8'], checklist: ['PERF-6'] },
    needs: ['daemon', 'daemonConfig'],
    messages: {
      configured: 'default ulimits set ({{origin}}): {{ulimits}}',
      notConfigured: 'no default ulimit is set: containers inherit the limits of the daemon process',
    },
  },
  check: forDaemon((_daemon, config) => {
    const setting = settingOf(config, 'default-ulimits');
    const entries =
      typeof setting.value === 'object' && setting.value !== null && !Array.isArray(setting.value)
        ? Object.entries(setting.value as Record<string, unknown>)
        : [];
    if (entries.length === 0) return { status: 'warn', messageId: 'notConfigured' };
    const ulimits = entries.map(([name, entry]) => describeUlimit(name, entry)).sort().join(', ');
    return { status: 'pass', messageId: 'configured', data: { origin: setting.origin, ulimits } };
  }),
});
