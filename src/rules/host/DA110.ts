import type { HostSystemFacts } from '../../snapshot/host.js';
import { isUnavailable } from '../../snapshot/types.js';
import { defineRule } from '../define.js';
import { hostSubject, systemOf } from './support/host-facts.js';

/** Packages whose updates matter most to a Docker host, named first in the message. */
const DOCKER_PACKAGES = /^(docker|containerd|runc|moby|linux-image|linux-signed|kernel)/;
/** Package names shown before "and N more". */
const SHOWN = 10;

function describeOs(system: HostSystemFacts): string {
  if (isUnavailable(system.osRelease)) return `an unknown OS (${system.osRelease.reason})`;
  const release = system.osRelease;
  return release['PRETTY_NAME'] || [release['ID'], release['VERSION_ID']].filter(Boolean).join(' ') || 'an unnamed OS';
}

function describeReboot(system: HostSystemFacts): string {
  if (system.rebootRequired) return 'yes (/var/run/reboot-required)';
  const family = isUnavailable(system.osRelease) ? '' : `${system.osRelease['ID'] ?? ''} ${system.osRelease['ID_LIKE'] ?? ''}`;
  return /\b(debian|ubuntu)\b/.test(family) ? 'no' : 'unknown (only Debian-family systems leave a marker)';
}

function describeUpdates(system: HostSystemFacts): string {
  const updates = system.packageUpdates;
  if (isUnavailable(updates)) return `unknown: ${updates.reason}`;
  const source = `${updates.manager}${updates.listsUpdated ? `, package lists of ${updates.listsUpdated.slice(0, 10)}` : ''}`;
  if (updates.pending.length === 0) return `none (${source})`;
  const ordered = [...updates.pending.filter((name) => DOCKER_PACKAGES.test(name)), ...updates.pending.filter((name) => !DOCKER_PACKAGES.test(name))];
  const more = ordered.length > SHOWN ? ` and ${ordered.length - SHOWN} more` : '';
  return `${updates.pending.length} (${source}): ${ordered.slice(0, SHOWN).join(', ')}${more}`;
}

export default defineRule({
  meta: {
    id: 'DA110',
    alias: 'host-hardened',
    family: 'host',
    title: 'The container host is hardened and up to date',
    severity: 'medium',
    rationale:
      'Containers share the host kernel: a kernel or system flaw left unpatched, or a host left at its install defaults, undoes the isolation every other control builds on.',
    remediation:
      'Apply pending updates and reboot when a reboot is pending; harden the host against a benchmark for its OS (the CIS benchmark of the distribution, for instance) and keep it to the services a container host needs.',
    references: { cis: ['1.2.1'], checklist: ['UPD-2'] },
    needs: ['host'],
    messages: {
      review: 'review the hardening of {{os}} against a benchmark for it; reboot pending: {{reboot}}; pending upgrades: {{updates}}',
    },
  },
  check: ({ snapshot }) => {
    const system = systemOf(snapshot);
    if (system === undefined) return [];
    return [
      {
        subject: hostSubject(snapshot.host.hostname),
        status: 'manual',
        messageId: 'review',
        data: { os: describeOs(system), reboot: describeReboot(system), updates: describeUpdates(system) },
      },
    ];
  },
});
