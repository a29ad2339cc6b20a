import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { parseSecurityOptions, type Workload } from '../../views/workload.js';
import { str } from '../../snapshot/api-document.js';
import { containerFactsOf } from '../../views/all-workloads.js';
import { hasSecurityOption } from '../shared/daemon-facts.js';
import { defineRule, forEachWorkload } from '../define.js';

/** Whether the daemon reports AppArmor among its security options; undefined when the daemon was not seen. */
function daemonHasAppArmor(snapshot: Snapshot): boolean | undefined {
  return isUnavailable(snapshot.daemon) ? undefined : hasSecurityOption(snapshot.daemon.info, 'apparmor');
}

/** The profile the daemon recorded for a live container ('' before its first start or for other workloads). */
function recordedProfile(snapshot: Snapshot, workload: Workload): string {
  return str(containerFactsOf(snapshot, workload)?.inspect, 'AppArmorProfile');
}

export default defineRule({
  meta: {
    id: 'DA502',
    alias: 'container-apparmor',
    family: 'container',
    title: 'Containers run under an AppArmor profile',
    severity: 'high',
    rationale:
      'On an AppArmor host the profile is what stops a compromised container process from writing to /proc and /sys, mounting filesystems or reading host paths its capabilities would otherwise allow.',
    remediation:
      'Drop apparmor=unconfined from --security-opt (security_opt); keep docker-default or load a stricter profile with apparmor_parser and pass --security-opt apparmor=<profile> (dockaudit slim IMAGE writes one from what the command of the image really does).',
    references: { cis: ['5.2'], checklist: ['POL-2'] },
    needs: ['containers'],
    messages: {
      unconfined: 'runs without AppArmor confinement (profile unconfined, {{source}}; state: {{state}})',
      privileged: 'runs privileged, so Docker applies no AppArmor profile (state: {{state}})',
      profile: 'AppArmor profile {{profile}} ({{source}})',
      noAppArmor: 'skipped: the daemon host does not run AppArmor (no name=apparmor in the daemon security options)',
      daemonUnknown: 'skipped: the daemon was not seen, so whether its host runs AppArmor is unknown',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    const enabled = daemonHasAppArmor(snapshot);
    const requested = parseSecurityOptions(workload.securityOpt).apparmor;
    const recorded = recordedProfile(snapshot, workload);
    const state = workload.state ?? 'defined';
    if (enabled === false) return { status: 'skipped', messageId: 'noAppArmor' };
    const explicitlyUnconfined = requested === 'unconfined' || (recorded === 'unconfined' && !workload.privileged);
    if (explicitlyUnconfined) {
      const source = requested === 'unconfined' ? 'requested with security_opt' : 'recorded by the daemon';
      return { status: 'fail', messageId: 'unconfined', data: { source, state }, key: 'security_opt' };
    }
    if (enabled === undefined) return { status: 'skipped', messageId: 'daemonUnknown' };
    if (workload.privileged && !requested) return { status: 'fail', messageId: 'privileged', data: { state }, key: 'privileged' };
    if (recorded) return { status: 'pass', messageId: 'profile', data: { profile: recorded, source: 'recorded by the daemon' } };
    if (requested) return { status: 'pass', messageId: 'profile', data: { profile: requested, source: 'requested with security_opt' } };
    return { status: 'pass', messageId: 'profile', data: { profile: 'docker-default', source: 'applied by Docker' } };
  }),
});
