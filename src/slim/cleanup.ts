/**
 * What slim created and has not removed yet: containers (one with SYS_PTRACE) and its temporary
 * directory. Each is removed where it was created, in a `finally`; a signal (SIGINT, SIGTERM)
 * skips those, so the command's signal handler removes whatever is still listed here before the
 * process exits.
 */

type Removal = () => Promise<unknown>;

const pending = new Set<Removal>();

export interface Created {
  /** Removes the thing now (once; later calls do nothing) and forgets it. */
  remove(): Promise<void>;
}

/**
 * Lists something just created, or being created: `removal` may wait for the creation to
 * finish first (a container whose create request is in flight has no id yet).
 */
export function created(removal: Removal): Created {
  pending.add(removal);
  let done: Promise<void> | undefined;
  return {
    remove() {
      done ??= (async () => {
        pending.delete(removal);
        await removal().catch(() => undefined);
      })();
      return done;
    },
  };
}

/** Removes everything still listed, at once, within `timeoutMs`; what fails to go is left. */
export async function removeAllCreated(timeoutMs: number): Promise<void> {
  const removals = [...pending];
  pending.clear();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([Promise.all(removals.map((removal) => removal().catch(() => undefined))), deadline]);
  clearTimeout(timer);
}

/** How many things are listed (for tests). */
export function createdCount(): number {
  return pending.size;
}
