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

export const configSchema = z.strictObject({
  failOn: z._default(severitySchema, 'low'),
  rules: z._default(z.record(z.string(), ruleSettingSchema), {}),
  ignore: z._default(z.array(ignoreSchema), []),
});

export type Config = z.infer<typeof configSchema>;
export type IgnoreEntry = z.infer<typeof ignoreSchema>;
export type RuleSetting = z.infer<typeof ruleSettingSchema>;

export const DEFAULT_CONFIG: Config = configSchema.parse({});
