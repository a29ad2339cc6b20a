import { defineRule, forDaemon } from '../define.js';
import { securityOptionsOf } from '../shared/daemon-facts.js';

/** Profile names the daemon reports for Docker's own built-in profile. */
const BUILT_IN_PROFILES = new Set(['default', 'builtin']);

export default defineRule({
  meta: {
    id: 'DA217',
    alias: 'daemon-seccomp-profile',
    family: 'daemon',
    title: 'A daemon-wide seccomp profile is applied',
    severity: 'medium',
    rationale:
      'The daemon-wide seccomp profile filters the system calls of every container that does not bring its own; without one, containers can call the whole kernel interface, including the calls behind most container escapes.',
    remediation:
      'Remove "seccomp-profile": "unconfined" from daemon.json (or --seccomp-profile); keep the default profile or point "seccomp-profile" at a custom profile that fits the workloads, and restart the daemon.',
    references: { cis: ['2.17'], checklist: ['PERF-5'] },
    needs: ['daemon'],
    messages: {
      default: "the daemon applies Docker's default seccomp profile",
      custom: 'the daemon applies the custom seccomp profile {{profile}}',
      unconfined: 'the daemon-wide seccomp profile is unconfined: containers without their own profile have no system call filter',
      unsupported: 'the daemon reports no seccomp support (SecurityOptions: {{options}}): containers run without a system call filter',
      notReported: 'the daemon does not report its security options (no SecurityOptions in info)',
    },
  },
  check: forDaemon((daemon) => {
    const options = securityOptionsOf(daemon.info);
    if (options === undefined) return { status: 'skipped', messageId: 'notReported' };
    const seccomp = options.find((option) => option['name'] === 'seccomp');
    if (seccomp === undefined) {
      const names = options.map((option) => option['name'] ?? '').filter((name) => name !== '');
      return { status: 'fail', messageId: 'unsupported', data: { options: names.length === 0 ? 'none' : names.join(', ') } };
    }
    const profile = seccomp['profile'] ?? 'default';
    if (profile === 'unconfined') return { status: 'fail', messageId: 'unconfined' };
    if (BUILT_IN_PROFILES.has(profile)) return { status: 'pass', messageId: 'default' };
    return { status: 'pass', messageId: 'custom', data: { profile } };
  }),
});
