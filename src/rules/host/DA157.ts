import { isUnavailable } from '../../snapshot/types.js';
import { defineRule, listOf } from '../define.js';
import { containerShippers, describeCollectors, hostShippers, journalStorage, syslogDaemons } from './support/log-collectors.js';
import { forHost } from './support/host-subject.js';

export default defineRule({
  meta: {
    id: 'DA157',
    alias: 'host-logs-collected',
    family: 'host',
    title: "The host's logs are kept and sent to a collector",
    severity: 'medium',
    rationale:
      'Host logs (the daemon, sshd, sudo, the kernel) are where an intrusion shows; kept only in memory they vanish at reboot, kept only on the host an intruder with root erases them. A copy on a remote collector is what someone can check.',
    remediation:
      'Forward the host logs to a central collector: a syslog daemon with a remote target (*.* @@loghost:6514 in rsyslog), systemd-journal-upload, or a shipper (Fluent Bit, Vector, Promtail, Filebeat...); keep the journal persistent (Storage=persistent in journald.conf).',
    references: { cis: [], checklist: ['MON-8'] },
    needs: ['host'],
    messages: {
      shipped: 'host logs leave the host: {{how}}',
      localOnly: 'host logs are kept on this host only ({{kept}}): nothing forwards them to a collector, where they would survive the host and an intruder',
      lost: 'host logs are neither kept across reboots nor forwarded: journal {{journal}}, no syslog daemon, no log shipper',
      notSeen: 'whether logs are kept or forwarded is not fully visible ({{reason}}); seen so far: journal {{journal}}, {{forwarding}} syslog forwarding rules, no shipper running as a container',
    },
  },
  check: forHost((system, { workloads }) => {
    const journal = journalStorage(system);
    const daemons = syslogDaemons(system);
    const onHost = hostShippers(system);
    const inContainers = containerShippers(workloads);
    const forwarding = system.syslogForwarding;
    const how: string[] = [];
    if (!isUnavailable(daemons) && daemons.length > 0 && forwarding.length > 0) {
      how.push(`${listOf(daemons)} forwards (${listOf(forwarding)})`);
    }
    const shippers = [...(isUnavailable(onHost) ? [] : onHost), ...inContainers];
    if (shippers.length > 0) how.push(`log shippers run: ${describeCollectors(shippers)}`);
    if (how.length > 0) return { status: 'pass', messageId: 'shipped', data: { how: how.join('; ') } };
    const unseen = isUnavailable(onHost) ? onHost.reason : journal === undefined ? 'the journald configuration was not read' : undefined;
    if (unseen !== undefined) {
      return {
        status: 'skipped',
        messageId: 'notSeen',
        data: { reason: unseen, journal: journal ?? 'not read', forwarding: forwarding.length },
      };
    }
    const kept = [
      ...(journal === 'persistent' ? ['persistent journal'] : []),
      ...(!isUnavailable(daemons) && daemons.length > 0 ? [`${listOf(daemons)} writing local files`] : []),
    ];
    if (kept.length > 0) return { status: 'warn', messageId: 'localOnly', data: { kept: kept.join(', ') } };
    return { status: 'fail', messageId: 'lost', data: { journal: journal ?? 'not read' } };
  }),
});
