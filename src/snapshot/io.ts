/**
 * Reading and writing snapshots as versioned JSON.
 */
import * as z from '../zod.js';
import { SnapshotError, describeError } from '../errors.js';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from './types.js';

const unavailable = z.object({ unavailable: z.literal(true), reason: z.string() });
const doc = z.record(z.string(), z.unknown());
const section = (shape: z.ZodMiniType) => z.union([unavailable, shape]);

/** Structural schema of a snapshot: enough to refuse what rules could not read. */
const snapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('dockaudit'), version: z.string() }),
  collectedAt: z.string(),
  target: z.object({ dockerHost: z.string() }),
  daemon: section(z.object({ version: doc, info: doc, config: section(z.object({ settings: doc, origin: doc, configFile: doc })) })),
  containers: section(z.array(z.object({ inspect: doc, processes: z.optional(z.unknown()) }))),
  images: section(z.array(z.object({ inspect: doc, history: z.optional(z.unknown()) }))),
  networks: section(z.array(doc)),
  volumes: section(z.array(doc)),
  swarm: section(z.object({ nodes: z.array(doc), services: z.array(doc), swarm: z.optional(doc) })),
  host: z.looseObject({ hostname: z.string(), daemonIsLocal: z.boolean() }),
  files: z.optional(
    z.object({
      files: z.array(
        z.object({ path: z.string(), kind: z.enum(['dockerfile', 'compose', 'env']), content: z.optional(z.string()), skipped: z.optional(z.string()) }),
      ),
      composeProjects: z.optional(z.array(z.array(z.string()))),
    }),
  ),
  imageContents: z.optional(z.array(z.looseObject({ source: z.string(), names: z.array(z.string()) }))),
  problems: z.array(z.object({ scope: z.string(), reason: z.string(), subject: z.optional(z.string()) })),
});

/** Parses snapshot JSON text; throws a SnapshotError with one line on anything wrong. */
export function parseSnapshot(text: string, source: string): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(`${source} is not valid JSON: ${describeError(error)}`);
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new SnapshotError(
      `${source} has snapshot schema version ${JSON.stringify(version)}; this dockaudit reads version ${SNAPSHOT_SCHEMA_VERSION}`,
    );
  }
  const parsed = snapshotSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SnapshotError(`${source} is not a dockaudit snapshot: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return data as Snapshot;
}

/** Serialises a snapshot. */
export function serialiseSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}
