/**
 * What strace's syscalls mean for slim: which arguments are paths and what the call does to
 * them, socket families in AppArmor's words, and the calls that need a capability. Tables only.
 */
import type { FileAccess } from './trace.js';

/** What a call does to a path; `open` means "decided by the flags argument". */
type Use = FileAccess | 'open';

/** Which argument is a path, relative to which directory-fd argument, and what the call does to it. */
export interface PathArgument {
  path: number;
  dirfd?: number;
  use: Use;
  flags?: number;
}
/** The calls that take paths. Calls that act on a descriptor's file are read from -y's annotation instead. */
export const PATH_CALLS: Record<string, PathArgument[]> = {
  open: [{ path: 0, use: 'open', flags: 1 }],
  openat: [{ dirfd: 0, path: 1, use: 'open', flags: 2 }],
  openat2: [{ dirfd: 0, path: 1, use: 'open', flags: 2 }],
  creat: [{ path: 0, use: 'write' }],
  execve: [{ path: 0, use: 'exec' }],
  execveat: [{ dirfd: 0, path: 1, use: 'exec' }],
  stat: [{ path: 0, use: 'stat' }],
  lstat: [{ path: 0, use: 'stat' }],
  access: [{ path: 0, use: 'stat' }],
  statfs: [{ path: 0, use: 'stat' }],
  chdir: [{ path: 0, use: 'stat' }],
  chroot: [{ path: 0, use: 'stat' }],
  getxattr: [{ path: 0, use: 'stat' }],
  lgetxattr: [{ path: 0, use: 'stat' }],
  listxattr: [{ path: 0, use: 'stat' }],
  llistxattr: [{ path: 0, use: 'stat' }],
  newfstatat: [{ dirfd: 0, path: 1, use: 'stat' }],
  fstatat64: [{ dirfd: 0, path: 1, use: 'stat' }],
  statx: [{ dirfd: 0, path: 1, use: 'stat' }],
  faccessat: [{ dirfd: 0, path: 1, use: 'stat' }],
  faccessat2: [{ dirfd: 0, path: 1, use: 'stat' }],
  readlink: [{ path: 0, use: 'read' }],
  readlinkat: [{ dirfd: 0, path: 1, use: 'read' }],
  truncate: [{ path: 0, use: 'write' }],
  mkdir: [{ path: 0, use: 'write' }],
  rmdir: [{ path: 0, use: 'write' }],
  unlink: [{ path: 0, use: 'write' }],
  chmod: [{ path: 0, use: 'write' }],
  chown: [{ path: 0, use: 'write' }],
  lchown: [{ path: 0, use: 'write' }],
  utime: [{ path: 0, use: 'write' }],
  utimes: [{ path: 0, use: 'write' }],
  mknod: [{ path: 0, use: 'write' }],
  setxattr: [{ path: 0, use: 'write' }],
  lsetxattr: [{ path: 0, use: 'write' }],
  removexattr: [{ path: 0, use: 'write' }],
  mkdirat: [{ dirfd: 0, path: 1, use: 'write' }],
  unlinkat: [{ dirfd: 0, path: 1, use: 'write' }],
  fchmodat: [{ dirfd: 0, path: 1, use: 'write' }],
  fchownat: [{ dirfd: 0, path: 1, use: 'write' }],
  utimensat: [{ dirfd: 0, path: 1, use: 'write' }],
  futimesat: [{ dirfd: 0, path: 1, use: 'write' }],
  mknodat: [{ dirfd: 0, path: 1, use: 'write' }],
  rename: [{ path: 0, use: 'write' }, { path: 1, use: 'write' }],
  renameat: [{ dirfd: 0, path: 1, use: 'write' }, { dirfd: 2, path: 3, use: 'write' }],
  renameat2: [{ dirfd: 0, path: 1, use: 'write' }, { dirfd: 2, path: 3, use: 'write' }],
  link: [{ path: 0, use: 'read' }, { path: 1, use: 'write' }],
  linkat: [{ dirfd: 0, path: 1, use: 'read' }, { dirfd: 2, path: 3, use: 'write' }],
  symlink: [{ path: 1, use: 'write' }],
  symlinkat: [{ dirfd: 1, path: 2, use: 'write' }],
};

const WRITE_FLAGS = /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/;

export function openUses(flags: string): FileAccess[] {
  if (/O_PATH/.test(flags)) return ['stat'];
  if (/O_RDWR/.test(flags)) return ['read', 'write'];
  if (WRITE_FLAGS.test(flags)) return ['write'];
  return /O_DIRECTORY/.test(flags) ? ['list'] : ['read'];
}

export const FAMILIES: Record<string, string> = {
  AF_UNIX: 'unix',
  AF_LOCAL: 'unix',
  AF_INET: 'inet',
  AF_INET6: 'inet6',
  AF_NETLINK: 'netlink',
  AF_PACKET: 'packet',
};
export const SOCKET_TYPES: Record<string, string> = { SOCK_STREAM: 'stream', SOCK_DGRAM: 'dgram', SOCK_RAW: 'raw', SOCK_SEQPACKET: 'seqpacket' };

/** Successful calls that need a capability when made in a container. */
export const CAPABILITY_CALLS: Record<string, string> = {
  chown: 'chown',
  fchown: 'chown',
  lchown: 'chown',
  fchownat: 'chown',
  setgroups: 'setgid',
  chroot: 'sys_chroot',
};

/**
 * Calls that change user or group ids. Setting an id the process already has needs no
 * capability (busybox does `setgid(getgid()); setuid(getuid())` on every start), so these
 * count only when an argument is an id the process was not seen to have.
 */
export const ID_CALLS: Record<string, { capability: string; kind: 'uid' | 'gid' }> = {
  setuid: { capability: 'setuid', kind: 'uid' },
  setreuid: { capability: 'setuid', kind: 'uid' },
  setresuid: { capability: 'setuid', kind: 'uid' },
  setfsuid: { capability: 'setuid', kind: 'uid' },
  setgid: { capability: 'setgid', kind: 'gid' },
  setregid: { capability: 'setgid', kind: 'gid' },
  setresgid: { capability: 'setgid', kind: 'gid' },
  setfsgid: { capability: 'setgid', kind: 'gid' },
};
export const ID_GETTERS: Record<string, 'uid' | 'gid'> = { getuid: 'uid', geteuid: 'uid', getgid: 'gid', getegid: 'gid' };
