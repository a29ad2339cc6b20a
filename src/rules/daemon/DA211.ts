import { arr, str } from '../../snapshot/api-document.js';
import { defineRule, forDaemon } from '../define.js';
import { asStringList, configUnavailableReason, settingOf } from '../shared/daemon-facts.js';

const BASE_SIZE_OPTION = 'dm.basesize';

/** The `Base Device Size` devicemapper reports in `DriverStatus`, or 'unknown'. */
function reportedBaseSize(driverStatus: unknown[]): string {
  const row = driverStatus.find((entry) => Array.isArray(entry) && entry[0] === 'Base Device Size');
  return Array.isArray(row) && typeof row[1] === 'string' ? row[1] : 'unknown';
}

export default defineRule({
  meta: {
    id: 'DA211',
    alias: 'daemon-base-device-size',
    family: 'daemon',
    title: 'The base device size is not changed until needed',
    severity: 'low',
    rationale:
      'With devicemapper, dm.basesize sets how large every container filesystem may grow; raising it without need lets one container fill the thin pool that all containers and images share.',
    remediation: 'Remove dm.basesize from "storage-opts" in daemon.json (and any --storage-opt dm.basesize flag) unless larger container filesystems are really needed.',
    references: { cis: ['2.11'], checklist: ['PERF-6'] },
    needs: ['daemon'],
    messages: {
      notReported: 'the daemon does not report its storage driver (no Driver in info)',
      notDevicemapper: 'the storage driver is {{driver}}: dm.basesize does not apply',
      unchanged: 'devicemapper with the default base device size ({{size}})',
      changed: 'storage-opts set {{option}} ({{origin}}): every container filesystem may grow to this size in the shared thin pool',
      notSeen: 'devicemapper reports a base device size of {{size}}, but the daemon configuration is not visible: {{reason}}',
    },
  },
  check: forDaemon((daemon, config) => {
    const driver = str(daemon.info, 'Driver');
    if (driver === '') return { status: 'skipped', messageId: 'notReported' };
    if (driver !== 'devicemapper') return { status: 'pass', messageId: 'notDevicemapper', data: { driver } };
    const size = reportedBaseSize(arr(daemon.info, 'DriverStatus'));
    if (config === undefined) return { status: 'skipped', messageId: 'notSeen', data: { size, reason: configUnavailableReason(daemon) } };
    const storageOpts = settingOf(config, 'storage-opts');
    const option = asStringList(storageOpts.value).find((entry) => entry.replace(/\s+/g, '').toLowerCase().startsWith(`${BASE_SIZE_OPTION}=`));
    return option === undefined
      ? { status: 'pass', messageId: 'unchanged', data: { size } }
      : { status: 'warn', messageId: 'changed', data: { option, origin: storageOpts.origin } };
  }),
});
