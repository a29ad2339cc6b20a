/**
 * The configuration schema: one schema for the config file, the environment and flags.
 */
import * as z from '../zod.js';
import { SEVERITIES } from '../rules/types.js';

export const severitySchema = z.enum(SEVERITIES);

const ruleSettingSchema = z.union([
  z.enum(['off', 'on']),
  z.strictObject({
    enabled: z.optional(z.boolean()),
    severity: z.optional(severitySchema),
    options: z.optional(z.record(z.string(), z.unknown())),
  }),
]);

const ignoreSchema = z.strictObject({
  /** Rule id or alias. */
  rule: z.string().check(z.minLength(1)),
  /** Subject name or id; `*` at the end matches a prefix. Omitted: every subject. */
  subject: z.optional(z.string().check(z.minLength(1))),
  reason: z.string().check(z.minLength(1)),
});

/** Bounds of the requests to a daemon; the flags of the same names win over them. */
const limitsSchema = z.strictObject({
  /** Bytes a JSON answer of the Engine API may have (default 64 MiB). */
  maxResponseBytes: z.optional(z.int().check(z.gte(1))),
  /** Seconds one Engine API call may take in all (default 30). */
  requestTimeout: z.optional(z.number().check(z.gt(0))),
  /** Seconds the collection from one daemon may take in all (default 300). */
  targetTimeout: z.optional(z.number().check(z.gt(0))),
});

export const configSchema = z.strictObject({
  failOn: z._default(severitySchema, 'low'),
  limits: z.optional(limitsSchema),
  rules: z._default(z.record(z.string(), ruleSettingSchema), {}),
  ignore: z._default(z.array(ignoreSchema), []),
});

export type Config = z.infer<typeof configSchema>;
export type Limits = z.infer<typeof limitsSchema>;
export type IgnoreEntry = z.infer<typeof ignoreSchema>;
export type RuleSetting = z.infer<typeof ruleSettingSchema>;

export const DEFAULT_CONFIG: Config = configSchema.parse({});
