/**
 * A seccomp profile in Docker's JSON format, from an Observation: every syscall not observed
 * fails with EPERM.
 */
import type { Observation } from './trace.js';

/**
 * Syscalls the runtime itself makes after it has installed the filter and before it executes
 * the container's program. runc (1.1, the version Debian 12 ships) installs the filter before it
 * drops capabilities, switches user and closes inherited descriptors, and it is a Go program:
 * its runtime may take a signal, sleep, or start a thread in between. The list was found by
 * starting a container with the filter of `echo hi` alone, adding syscalls until it started,
 * removing each one again to see whether the start still worked, and repeating starts to catch
 * the Go runtime's occasional calls (a missing rt_sigreturn crashes one start in five).
 */
export const RUNTIME_SYSCALLS: readonly string[] = [
  'capget',
  'capset',
  'chdir',
  'clone',
  'close',
  'close_range',
  'dup2',
  'dup3',
  'epoll_ctl',
  'epoll_pwait',
  'execve',
  'exit',
  'exit_group',
  'faccessat',
  'faccessat2',
  'fcntl',
  'fstat',
  'fstatfs',
  'futex',
  'getcwd',
  'getdents64',
  'getegid',
  'geteuid',
  'getgid',
  'getpid',
  'getppid',
  'gettid',
  'getuid',
  'keyctl',
  'madvise',
  'mmap',
  'munmap',
  'nanosleep',
  'newfstatat',
  'openat',
  'prctl',
  'read',
  'rt_sigaction',
  'rt_sigprocmask',
  'rt_sigreturn',
  'sched_getaffinity',
  'sched_yield',
  'setgid',
  'setgroups',
  'setuid',
  'sigaltstack',
  'tgkill',
  'umask',
  'write',
];

export interface SeccompProfile {
  defaultAction: 'SCMP_ACT_ERRNO';
  defaultErrnoRet: number;
  architectures: string[];
  syscalls: { names: string[]; action: 'SCMP_ACT_ALLOW' | 'SCMP_ACT_ERRNO'; comment?: string }[];
}

/** libseccomp's architecture names for the machines Node runs on. */
const ARCHITECTURES: Record<string, string[]> = {
  x64: ['SCMP_ARCH_X86_64'],
  arm64: ['SCMP_ARCH_AARCH64'],
  ia32: ['SCMP_ARCH_X86'],
  arm: ['SCMP_ARCH_ARM'],
  ppc64: ['SCMP_ARCH_PPC64LE'],
  s390x: ['SCMP_ARCH_S390X'],
};

export interface SeccompOptions {
  /** Node's name for the architecture the trace was taken on (`process.arch`). */
  arch: string;
  /** Leave these out even when observed or needed by the runtime (to prove a proof can fail). */
  without?: readonly string[];
}

/** The syscalls a generated profile allows: observed ∪ runtime, minus `without`, sorted. */
export function allowedSyscalls(observation: Pick<Observation, 'syscalls'>, without: readonly string[] = []): string[] {
  const names = new Set([...observation.syscalls, ...RUNTIME_SYSCALLS]);
  for (const name of without) names.delete(name);
  return [...names].sort();
}

/** Builds the profile. The EPERM default (errno 1) is what Docker's own profile returns. */
export function seccompProfile(observation: Pick<Observation, 'syscalls'>, options: SeccompOptions): SeccompProfile {
  const architectures = ARCHITECTURES[options.arch];
  if (architectures === undefined) throw new Error(`no seccomp architecture known for ${options.arch}`);
  return {
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: 1,
    architectures,
    syscalls: [{ names: allowedSyscalls(observation, options.without), action: 'SCMP_ACT_ALLOW' }],
  };
}
