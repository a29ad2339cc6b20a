import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { parseSecurityOptions } from '../../views/workload.js';
import { strings } from '../../snapshot/api-document.js';
import { defineRule, forEachWorkload } from '../define.js';

/**
 * Whether the daemon applies no-new-privileges to new containers: true or false when seen
 * (in its reported security options or its effective configuration), undefined when unknown.
 */
function daemonDefault(snapshot: Snapshot): { enabled: boolean; source: string } | undefined {
  const daemon = snapshot.daemon;
  if (isUnavailable(daemon)) return undefined;
  if (strings(daemon.info, 'SecurityOptions').includes('name=no-new-privileges')) return { enabled: true, source: 'daemon security options' };
  if (isUnavailable(daemon.config)) return undefined;
  const setting = daemon.config.settings['no-new-privileges'];
  const source = `daemon configuration (${daemon.config.origin['no-new-privileges'] ?? 'default'})`;
  return { enabled: setting === true || setting === 'true', source };
}

export default defineRule({
  meta: {
    id: 'DA526',
    alias: 'container-no-new-privileges',
    family: 'container',
    title: 'Containers cannot gain new privileges',
    severity: 'high',
    rationale:
      'no-new-privileges stops setuid and setgid programs and file capabilities from raising the privileges of a process, so a compromised non-root process cannot become root through a setuid binary left in the image.',
    remediation:
      'Run with --security-opt no-new-privileges (security_opt: [no-new-privileges:true]), or set "no-new-privileges": true in daemon.json so every new container gets it.',
    references: { cis: ['5.26'], checklist: ['POL-4'] },
    needs: ['containers'],
    messages: {
      container: 'no-new-privileges is set on the container',
      daemonDefault: 'no-new-privileges comes from the daemon default ({{source}})',
      disabledExplicitly: 'no-new-privileges is turned off explicitly (no-new-privileges:false; state: {{state}})',
      notSet: 'no-new-privileges is not set, on the container or as the daemon default (state: {{state}})',
      notSetDaemonUnknown: 'no-new-privileges is not set on the container, and the daemon default could not be read (state: {{state}})',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    const requested = parseSecurityOptions(workload.securityOpt).noNewPrivileges;
    const state = workload.state ?? 'defined';
    if (requested === true) return { status: 'pass', messageId: 'container' };
    if (requested === false) return { status: 'fail', messageId: 'disabledExplicitly', data: { state }, key: 'security_opt' };
    const fromDaemon = daemonDefault(snapshot);
    if (fromDaemon === undefined) return { status: 'fail', messageId: 'notSetDaemonUnknown', data: { state }, key: 'security_opt' };
    return fromDaemon.enabled
      ? { status: 'pass', messageId: 'daemonDefault', data: { source: fromDaemon.source } }
      : { status: 'fail', messageId: 'notSet', data: { state }, key: 'security_opt' };
  }),
});
