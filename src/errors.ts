/**
 * Typed errors. Only the CLI boundary turns them into a message and an exit code.
 */

export type ErrorKind = 'usage' | 'config' | 'collection' | 'snapshot' | 'internal';

export class DockauditError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = 'DockauditError';
  }
}

/** Bad arguments or flags. */
export class UsageError extends DockauditError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** A config file that cannot be read or does not match the schema. */
export class ConfigError extends DockauditError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config', message, options);
  }
}

/** Nothing could be collected (the daemon is unreachable and nothing else was asked for). */
export class CollectionError extends DockauditError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('collection', message, options);
  }
}

/** A snapshot file that is malformed or of another schema version. */
export class SnapshotError extends DockauditError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('snapshot', message, options);
  }
}

/** A broken invariant inside dockaudit: a bug, never the user's input. */
export class InternalError extends DockauditError {
  constructor(message: string) {
    super('internal', message);
  }
}

/** One line describing any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
