import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { strings } from '../../snapshot/api-document.js';
import { defineRule, forEachWorkload } from '../define.js';

/** Whether the daemon runs containers in their own user namespace (remapping or rootless); undefined when not seen. */
function daemonRemapsUsers(snapshot: Snapshot): boolean | undefined {
  if (isUnavailable(snapshot.daemon)) return undefined;
  const options = strings(snapshot.daemon.info, 'SecurityOptions');
  return options.includes('name=userns') || options.includes('name=rootless');
}

export default defineRule({
  meta: {
    id: 'DA531',
    alias: 'container-host-userns',
    family: 'container',
    title: "Containers do not share the host's user namespace",
    severity: 'medium',
    rationale:
      "With user-namespace remapping root in a container is an unprivileged user on the host; a container started with --userns host opts out of it, so its root is the host's root again.",
    remediation: 'Remove --userns host (userns_mode: host); if the container truly needs host uids, run it on a host dedicated to it.',
    references: { cis: ['5.31'], checklist: ['NS-5'] },
    needs: ['containers'],
    messages: {
      host: "shares the host's user namespace (userns mode host; {{effect}}; state: {{state}})",
      remapped: 'runs in the remapped user namespace of the daemon',
      noRemap: "does not opt out, but the daemon remaps no users, so it shares the host's user namespace anyway (see the daemon's userns-remap control)",
      notHost: 'does not opt out of user-namespace remapping (whether the daemon remaps users was not seen)',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    const remaps = daemonRemapsUsers(snapshot);
    if (workload.namespaces.userns === 'host') {
      const effect = remaps === false ? 'no effect today, as the daemon remaps no users' : "its root is the host's root";
      return { status: 'fail', messageId: 'host', data: { effect, state: workload.state ?? 'defined' }, key: 'userns_mode' };
    }
    if (remaps === undefined) return { status: 'pass', messageId: 'notHost' };
    return remaps ? { status: 'pass', messageId: 'remapped' } : { status: 'info', messageId: 'noRemap' };
  }),
});
