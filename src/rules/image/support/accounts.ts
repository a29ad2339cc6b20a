/**
 * Reading an image's /etc/passwd and /etc/shadow, and the user its containers start as.
 */
import type { ImageContents } from '../../../snapshot/image-contents.js';

export interface PasswdEntry {
  name: string;
  /** The password field of /etc/passwd: `x` when the hash is in /etc/shadow. */
  password: string;
  uid: number;
  gid: number;
  shell: string;
}

/** Parses /etc/passwd lines (`name:x:uid:gid:gecos:home:shell`); malformed and NIS (`+`) lines are skipped. */
export function parsePasswd(text: string): PasswdEntry[] {
  return text.split('\n').flatMap((line) => {
    const fields = line.split(':');
    if (fields.length < 7 || line.startsWith('#') || line.startsWith('+') || line.startsWith('-')) return [];
    const uid = Number.parseInt(fields[2] ?? '', 10);
    const gid = Number.parseInt(fields[3] ?? '', 10);
    if (!Number.isInteger(uid)) return [];
    return [{ name: fields[0] ?? '', password: fields[1] ?? '', uid, gid: Number.isInteger(gid) ? gid : -1, shell: (fields[6] ?? '').trim() }];
  });
}

/** Shells a person can log in with; nologin, false, sync, halt and shutdown are not. */
const LOGIN_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'csh', 'tcsh', 'fish', 'rbash', 'busybox']);

export function isLoginShell(shell: string): boolean {
  return LOGIN_SHELLS.has(shell.split('/').pop() ?? '');
}

/** The `User` of the image config: what containers start as when `docker run` sets none. */
export function configuredUser(contents: ImageContents): string {
  const runtime = contents.config?.['config'];
  const user = typeof runtime === 'object' && runtime !== null ? (runtime as Record<string, unknown>)['User'] : undefined;
  return typeof user === 'string' ? user.trim() : '';
}
