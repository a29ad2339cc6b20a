/**
 * Runs the few host tools dockaudit asks (auditctl, iptables-save, apt-get): found by
 * absolute path in the system directories, spawned without a shell, bounded in time and
 * output, and only ever on the machine dockaudit runs on.
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';

/** Where system tools live, in the order systemd's default PATH lists them. */
export const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'] as const;

export type ToolRun = { ok: true; stdout: string; exitCode: number } | { ok: false; reason: string };

export interface ToolOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Exit codes that still mean an answer (`dnf check-update` answers 100). */
  okExitCodes?: readonly number[];
  /** Directories searched for the tool; tests point this at a fake. */
  searchPath?: readonly string[];
}

/** The first executable `name` in the search path. */
export async function findTool(name: string, searchPath: readonly string[] = SYSTEM_PATH): Promise<string | undefined> {
  for (const directory of searchPath) {
    const candidate = `${directory}/${name}`;
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? '';
}

/** Runs `name args…` and returns its standard output, or why there is none. */
export async function runTool(name: string, args: readonly string[], options: ToolOptions): Promise<ToolRun> {
  const path = await findTool(name, options.searchPath);
  if (path === undefined) return { ok: false, reason: `${name} is not installed` };
  const okExitCodes = options.okExitCodes ?? [0];
  return new Promise((resolve) => {
    execFile(
      path,
      [...args],
      {
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: options.maxBytes,
        encoding: 'utf8',
        env: { PATH: SYSTEM_PATH.join(':'), LC_ALL: 'C', LANG: 'C' },
        shell: false,
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ ok: true, stdout, exitCode: 0 });
          return;
        }
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: number | string };
        if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          resolve({ ok: false, reason: `${name} printed more than ${options.maxBytes} bytes` });
        } else if (failure.killed || failure.signal === 'SIGKILL') {
          resolve({ ok: false, reason: `${name} did not finish within ${options.timeoutMs / 1000} s` });
        } else if (typeof failure.code === 'number' && okExitCodes.includes(failure.code)) {
          resolve({ ok: true, stdout, exitCode: failure.code });
        } else {
          const detail = firstLine(stderr) || firstLine(stdout) || failure.message;
          resolve({ ok: false, reason: `${name} failed: ${detail}` });
        }
      },
    );
  });
}
