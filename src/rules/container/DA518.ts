import type { Snapshot } from '../../snapshot/types.js';
import { type Workload, type WorkloadDevice } from '../../views/workload.js';
import { obj, strings } from '../../snapshot/api-document.js';
import { containerFactsOf } from '../../views/all-workloads.js';
import { defineRule, forEachWorkload, listOf } from '../define.js';

/** Disks, partitions, device-mapper and loop devices, and raw memory and I/O ports: the host's data and kernel. */
const RAW_DEVICE =
  /^\/dev\/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|dm-\d|loop\d|md\d|sr\d|mapper\/|disk\/|mem$|kmem$|port$)/;

function describe(device: WorkloadDevice): string {
  const target = device.containerPath && device.containerPath !== device.hostPath ? ` -> ${device.containerPath}` : '';
  return `${device.hostPath}${target} (${device.permissions || 'rwm'})`;
}

/** `--device-cgroup-rule` entries of a live container: they allow device nodes created later, too. */
function deviceCgroupRules(snapshot: Snapshot, workload: Workload): string[] {
  return strings(obj(containerFactsOf(snapshot, workload)?.inspect, 'HostConfig'), 'DeviceCgroupRules');
}

/** A rule for every block device (`b *:* rwm`) or every device (`a`) reaches the host's disks. */
function coversBlockDevices(rule: string): boolean {
  const [type, numbers] = rule.trim().split(/\s+/);
  return type === 'a' || (type === 'b' && numbers !== undefined && numbers.startsWith('*'));
}

export default defineRule({
  meta: {
    id: 'DA518',
    alias: 'container-host-devices',
    family: 'container',
    title: 'Host devices are not exposed to containers',
    severity: 'high',
    rationale:
      "A host device inside a container bypasses the container's isolation: with a disk, memory or I/O port device a process reads or rewrites the host's data and kernel; with others it talks to hardware the host relies on.",
    remediation:
      'Remove --device (devices) and --device-cgroup-rule entries the workload does not need; where a device is needed, pass only that node with the fewest permissions (for example /dev/fuse:/dev/fuse:rw without m).',
    references: { cis: ['5.18'], checklist: [] },
    needs: ['containers'],
    messages: {
      privileged: 'runs privileged: every host device is available to it (see DA505)',
      rawDevices: 'exposes host disks or memory: {{devices}} (state: {{state}})',
      devices: 'exposes host devices: {{devices}}: confirm each is needed',
      none: 'no host device exposed',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    if (workload.privileged) return { status: 'fail', messageId: 'privileged', key: 'privileged' };
    const rules = deviceCgroupRules(snapshot, workload);
    const exposed = [...workload.resources.devices.map(describe), ...rules.map((rule) => `device cgroup rule ${rule}`)];
    if (exposed.length === 0) return { status: 'pass', messageId: 'none' };
    const raw = [
      ...workload.resources.devices.filter((device) => RAW_DEVICE.test(device.hostPath)).map(describe),
      ...rules.filter(coversBlockDevices).map((rule) => `device cgroup rule ${rule}`),
    ];
    if (raw.length > 0) {
      return { status: 'fail', messageId: 'rawDevices', data: { devices: listOf(raw), state: workload.state ?? 'defined' }, key: 'devices' };
    }
    return { status: 'warn', messageId: 'devices', data: { devices: listOf(exposed) }, key: 'devices', severity: 'medium' };
  }),
});
