/**
 * Thin wrappers around the docker CLI for the test bed (integration setup and bench).
 * They run the real client so that what the tests build is what a person would build by hand.
 */
import { execFile } from 'node:child_process';

/**
 * Runs `docker ...args` and resolves with its trimmed stdout.
 * Rejects with an error naming the command and docker's stderr.
 *
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, input?: string | Buffer, timeoutMs?: number }} [options]
 * @returns {Promise<string>}
 */
export function docker(args, { env, input, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'docker',
      args,
      { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error) {
          const detail = (stderr || error.message).trim().split('\n').slice(-5).join(' | ');
          reject(new Error(`docker ${args.join(' ')} failed: ${detail}`));
        } else {
          resolve(stdout.trim());
        }
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * Whether the daemon answers `docker info`; the reason when it does not.
 *
 * @returns {Promise<{ ok: true, version: string } | { ok: false, reason: string }>}
 */
export async function daemonStatus() {
  try {
    const version = await docker(['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 20_000 });
    if (!version) return { ok: false, reason: 'docker info returned no server version' };
    return { ok: true, version };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Ids of every container (running or not) carrying the label `key=value`.
 *
 * @param {string} key
 * @param {string} value
 * @returns {Promise<string[]>}
 */
export async function containersLabelled(key, value) {
  const out = await docker(['ps', '-aq', '--no-trunc', '--filter', `label=${key}=${value}`]);
  return out ? out.split('\n') : [];
}

/**
 * Force-removes containers by id, in batches so the argument list stays short.
 *
 * @param {string[]} ids
 */
export async function removeContainers(ids, batchSize = 100) {
  for (let start = 0; start < ids.length; start += batchSize) {
    await docker(['rm', '-f', '-v', ...ids.slice(start, start + batchSize)], { timeoutMs: 300_000 });
  }
}

/**
 * Removes every container carrying the label `key=value`; returns how many there were.
 *
 * @param {string} key
 * @param {string} value
 * @returns {Promise<number>}
 */
export async function removeLabelled(key, value) {
  const ids = await containersLabelled(key, value);
  await removeContainers(ids);
  return ids.length;
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; resolves with the results in order.
 *
 * @template T, R
 * @param {readonly T[]} items
 * @param {number} limit
 * @param {(item: T, index: number) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** @param {number} ms @returns {Promise<void>} */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
