/**
 * The configuration schema: one schema for the config file, the environment and flags.
 */
import { z } from 'zod';
import { SEVERITIES } from '../rules/types.js';

export const severitySchema = z.enum(SEVERITIES);

const ruleSettingSchema = z.union([
  z.enum(['off', 'on']),
  z
    .object({
      enabled: z.boolean().optional(),
      severity: severitySchema.optional(),
      options: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
]);

const ignoreSchema = z
  .object({
    /** Rule id or alias. */
    rule: z.string().min(1),
    /** Subject name or id; `*` at the end matches a prefix. Omitted: every subject. */
    subject: z.string().min(1).optional(),
    reason: z.string().min(1),
  })
  .strict();

export const configSchema = z
  .object({
    failOn: severitySchema.default('low'),
    rules: z.record(z.string(), ruleSettingSchema).default({}),
    ignore: z.array(ignoreSchema).default([]),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type IgnoreEntry = z.infer<typeof ignoreSchema>;
export type RuleSetting = z.infer<typeof ruleSettingSchema>;

export const DEFAULT_CONFIG: Config = configSchema.parse({});
