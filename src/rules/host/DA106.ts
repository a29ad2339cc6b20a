import { defineRule } from '../define.js';
import { auditCheck } from './support/audit-check.js';
import { unitFilesOf } from './support/host-facts.js';

export default defineRule({
  meta: {
    id: 'DA106',
    alias: 'audit-docker-socket-unit',
    family: 'host',
    title: 'The docker.socket unit files are audited',
    severity: 'medium',
    rationale:
      'docker.socket decides where the API socket is created and who may use it (SocketMode, SocketGroup); a change to it changes who controls the daemon. An audit rule records the change.',
    remediation:
      'Add a watch on the unit file where systemd finds it, e.g. "-w /lib/systemd/system/docker.socket -p wa -k docker", and on any drop-in directory, then run "augenrules --load".',
    references: { cis: ['1.1.9'], checklist: ['MON-4'] },
    needs: ['host'],
    messages: {
      audited: '{{what}} {{path}} is audited (CIS {{control}}): {{where}}',
      notLoaded: '{{what}} {{path}} has a rule in {{where}} but it is not loaded: auditd is not running or its rules were not reloaded (CIS {{control}})',
      notPersistent: '{{what}} {{path}} is audited only by a loaded rule ({{where}}) that no rule file holds: it is lost at the next reboot (CIS {{control}})',
      notAudited: 'no audit rule records changes to {{what}} {{path}} (CIS {{control}}; {{looked}})',
      notPresent: '{{what}} {{path}} does not exist on this host (CIS {{control}})',
      notVisible: 'whether {{what}} {{path}} is audited cannot be seen (CIS {{control}}): {{reason}}',
    },
  },
  check: auditCheck((_snapshot, system) => {
    const paths = unitFilesOf(system, 'docker.socket');
    if (paths.length === 0) return [{ path: '/lib/systemd/system/docker.socket', what: 'the docker.socket unit file', control: '1.1.9' }];
    return paths.map((path, index) => ({ path, what: index === 0 && !path.endsWith('.conf') ? 'the docker.socket unit file' : 'the docker.socket drop-in', control: '1.1.9' }));
  }, {
    audited: 'audited',
    notLoaded: 'notLoaded',
    notPersistent: 'notPersistent',
    notAudited: 'notAudited',
    notPresent: 'notPresent',
    notVisible: 'notVisible',
  }),
});
