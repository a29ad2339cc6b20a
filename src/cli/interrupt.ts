/**
 * What a command asks to have undone when the process is interrupted (SIGINT, SIGTERM): `slim`
 * registers the containers and files it created. main.ts owns the signals and the exit code;
 * this module only keeps the list.
 */

type Cleanup = () => Promise<void>;

const cleanups = new Set<Cleanup>();
let interrupted = false;

/** Registers `cleanup` to run if the process is interrupted; the returned function unregisters it. */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Whether a signal arrived: work that fails afterwards failed because of it, and is not reported. */
export function wasInterrupted(): boolean {
  return interrupted;
}

/** How many cleanups are registered. */
export function pendingCleanups(): number {
  return cleanups.size;
}

/** Runs every registered cleanup, for at most `budgetMs`. */
export async function runCleanups(budgetMs: number): Promise<void> {
  interrupted = true;
  if (cleanups.size === 0) return;
  const all = Promise.allSettled([...cleanups].map((cleanup) => cleanup()));
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, budgetMs);
  });
  await Promise.race([all, budget]);
  clearTimeout(timer);
}
