import { defineRule, forDaemon } from '../define.js';
import { hasSecurityOption } from '../shared/daemon-facts.js';

export default defineRule({
  meta: {
    id: 'DA201',
    alias: 'daemon-rootless',
    family: 'daemon',
    title: 'The daemon runs as a non-root user where possible',
    severity: 'medium',
    rationale:
      'A daemon running as root makes every escape from a container, and every user who can reach its socket, root on the host; in rootless mode the daemon and its containers hold only the rights of an unprivileged user.',
    remediation:
      'Where the workloads allow it, install Docker in rootless mode (dockerd-rootless-setuptool.sh install) and run it as a dedicated unprivileged user.',
    references: { cis: ['2.1'], checklist: ['CMD-1'] },
    needs: ['daemon'],
    messages: {
      rootless: 'the daemon runs rootless (SecurityOptions has name=rootless)',
      root: 'the daemon runs as root (no name=rootless in SecurityOptions; user-namespace remapping {{userns}}): decide whether rootless mode suits the workloads of this host',
    },
  },
  check: forDaemon((daemon) => {
    if (hasSecurityOption(daemon.info, 'rootless')) return { status: 'pass', messageId: 'rootless' };
    const userns = hasSecurityOption(daemon.info, 'userns') ? 'enabled' : 'not enabled';
    return { status: 'manual', messageId: 'root', data: { userns } };
  }),
});
