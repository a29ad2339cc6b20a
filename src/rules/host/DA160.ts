import * as z from '../../zod.js';
import { isUnavailable } from '../../snapshot/types.js';
import type { Workload, WorkloadPort } from '../../views/workload.js';
import { isLoopback } from '../shared/format.js';
import { defineRule, listOf, workloadSubject } from '../define.js';
import type { RuleResult, Status } from '../types.js';
import { hostSubject, hostSystemOf } from './support/host-subject.js';
import { dockerUserRules, filteringRule, type FirewallRule } from './support/iptables.js';

/** Container states in which published ports are open. */
const LIVE_STATES = new Set(['running', 'restarting', 'paused']);

function describeBinding(port: WorkloadPort): string {
  const address = port.hostIp === '' ? '0.0.0.0' : port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
  const host = port.hostPort === undefined ? '(random port)' : port.hostPortEnd !== undefined ? `${port.hostPort}-${port.hostPortEnd}` : String(port.hostPort);
  return `${address}:${host}->${port.containerPort}/${port.protocol}`;
}

function hostPortsOf(port: WorkloadPort): number[] {
  if (port.hostPort === undefined) return [];
  const end = Math.min(port.hostPortEnd ?? port.hostPort, 65535);
  return Array.from({ length: Math.max(end - port.hostPort + 1, 1) }, (_, offset) => (port.hostPort ?? 0) + offset);
}

interface AllowEntry {
  text: string;
  name?: string;
  port?: number;
  protocol?: string;
}

/** `web`, `web*`, `web:443`, `web:443/tcp`, `443`, `443/udp`. */
function parseEntry(text: string): AllowEntry {
  const match = /^(?:(.+):)?(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(text.trim());
  if (!match) return { text, name: text.trim() };
  return { text, ...(match[1] ? { name: match[1] } : {}), port: Number.parseInt(match[2] ?? '', 10), ...(match[3] ? { protocol: match[3].toLowerCase() } : {}) };
}

function nameMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/** The allow-list entry that authorises this binding: every host port of it, for its protocol. */
function allowingEntry(entries: readonly AllowEntry[], workload: Workload, port: WorkloadPort | undefined): AllowEntry | undefined {
  const byName = entries.find((entry) => entry.name !== undefined && entry.port === undefined && nameMatches(entry.name, workload.name));
  if (byName || port === undefined) return byName;
  const hostPorts = hostPortsOf(port);
  if (hostPorts.length === 0) return undefined;
  const covering = (hostPort: number): AllowEntry | undefined =>
    entries.find(
      (entry) =>
        entry.port === hostPort &&
        (entry.protocol === undefined || entry.protocol === port.protocol) &&
        (entry.name === undefined || nameMatches(entry.name, workload.name)),
    );
  const first = covering(hostPorts[0] ?? 0);
  return first && hostPorts.every((hostPort) => covering(hostPort) !== undefined) ? first : undefined;
}

export default defineRule({
  meta: {
    id: 'DA160',
    alias: 'published-ports-reachable',
    family: 'host',
    title: 'Only authorised workloads are reachable from outside the host',
    severity: 'high',
    rationale:
      'Docker opens the firewall itself for every published port, ahead of the host firewall (ufw, firewalld): a port published on a non-loopback address is reachable from the network unless a DOCKER-USER rule stops it. Each one should be a decision.',
    remediation:
      'Publish internal services on 127.0.0.1 or not at all; add the ports meant to be public to this rule\'s "allowed" option; restrict the others with DOCKER-USER rules (iptables -I DOCKER-USER -i <external-if> -p tcp -m conntrack --ctorigdstport <port> -j DROP).',
    references: { cis: [], checklist: ['FW-1'], related: ['5.9', '5.14'] },
    needs: ['containers'],
    messages: {
      reachable: '{{binding}} is reachable from outside and {{policy}} ({{firewall}})',
      hostNetwork:
        'uses the host network: every port it listens on is reachable and DOCKER-USER rules do not apply (ports the image declares: {{ports}}); {{policy}}',
      allowed: '{{binding}} is reachable from outside, authorised by the allow-list entry "{{entry}}"',
      filtered: '{{binding}} is filtered by the DOCKER-USER rule: {{rule}}',
      noneReachable: 'no workload publishes a port on a non-loopback address',
    },
  },
  options: z.object({
    /** Authorised exposures: `web` (a workload, `web*` a prefix), `web:443`, `web:443/tcp`, `443`, `443/udp`; ports are host ports. */
    allowed: z.optional(z.array(z.string().check(z.minLength(1)))),
  }),
  check: ({ snapshot, workloads, options }) => {
    const entries = (options.allowed ?? []).map(parseEntry);
    const configured = options.allowed !== undefined;
    const policy = configured ? 'is not in the allow-list' : 'no allow-list is configured: review it';
    const unauthorisedStatus: Status = configured ? 'fail' : 'manual';
    const system = hostSystemOf(snapshot);
    const iptables = system === undefined ? { unavailable: true as const, reason: 'host facts were not collected' } : system.iptables;
    const rules: FirewallRule[] | undefined = isUnavailable(iptables) ? undefined : dockerUserRules(iptables);
    const firewallNote = isUnavailable(iptables)
      ? `iptables rules not visible: ${iptables.reason}`
      : rules === undefined
        ? 'no DOCKER-USER chain in iptables'
        : 'no DOCKER-USER rule drops it';

    const results: RuleResult[] = [];
    for (const workload of workloads) {
      if (workload.kind === 'container' && !LIVE_STATES.has(workload.state ?? '')) continue;
      const subject = workloadSubject(workload);
      const location = workload.location;
      const push = (status: Status, messageId: string, data: Record<string, string>, key?: string): void => {
        const at = (key && workload.keyLocations?.[key]) || location;
        results.push({ subject, status, messageId, data, ...(at ? { location: at } : {}) });
      };
      if (workload.namespaces.network === 'host') {
        const entry = allowingEntry(entries, workload, undefined);
        if (entry) push('pass', 'allowed', { binding: 'host network', entry: entry.text });
        else push(unauthorisedStatus, 'hostNetwork', { ports: listOf(workload.exposedPorts), policy }, 'network_mode');
        continue;
      }
      for (const port of workload.ports) {
        if (isLoopback(port.hostIp)) continue;
        const binding = describeBinding(port);
        const entry = allowingEntry(entries, workload, port);
        if (entry) {
          push('pass', 'allowed', { binding, entry: entry.text });
          continue;
        }
        const rule = rules ? filteringRule(rules, { protocol: port.protocol, containerPort: port.containerPort, hostPorts: hostPortsOf(port) }) : undefined;
        if (rule) push('pass', 'filtered', { binding, rule: rule.text });
        else push(unauthorisedStatus, 'reachable', { binding, policy, firewall: firewallNote }, 'ports');
      }
    }
    if (results.length === 0) return [{ subject: hostSubject(snapshot), status: 'pass', messageId: 'noneReachable' }];
    return results;
  },
});
