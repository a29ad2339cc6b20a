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

const ignoreSchema = z
  .strictObject({
    /** Rule id or alias; `*` for every rule, with a subject or a path. */
    rule: z.string().check(z.minLength(1)),
    /** Subject name or id; `*` at the end matches a prefix. Omitted: every subject. */
    subject: z.optional(z.string().check(z.minLength(1))),
    /** The file a finding points at, as the report shows it; `*` at the end matches a prefix. Omitted: any file or none. */
    path: z.optional(z.string().check(z.minLength(1))),
    reason: z.string().check(z.minLength(1)),
  })
  .check(
    z.refine((entry) => entry.rule !== '*' || entry.subject !== undefined || entry.path !== undefined, {
      message: 'an ignore entry for every rule (rule: "*") must name a subject or a path, or it would ignore the whole audit',
    }),
  );

/** Selectors of rules: ids, aliases, families, `cis:<section or control>`, `checklist:<item>`. */
const selectorsSchema = z.array(z.string().check(z.minLength(1)));
/** Container name globs, or label filters `KEY` / `KEY=VALUE`. */
const patternsSchema = z.array(z.string().check(z.minLength(1)));

/**
 * Caps on a report, so a hostile input (a Compose file of 24,000 services, a Dockerfile of
 * 100,000 lines) cannot grow it without bound. Findings beyond a cap are not dropped silently:
 * each rule's are counted in one finding that carries their worst status and severity, so the
 * exit code is the same as without the cap.
 */
export const DEFAULT_LIMITS = { findings: 100_000, findingsPerRuleAndSubject: 100 } as const;

/** Bounds of a run: the requests to a daemon and the size of the report; flags of the same names win over them. */
const limitsSchema = z.strictObject({
  /** Bytes a JSON answer of the Engine API may have (default 64 MiB); `--max-response-bytes`. */
  maxResponseBytes: z.optional(z.int().check(z.gte(1))),
  /** Seconds one Engine API call may take in all (default 30); `--request-timeout`. */
  requestTimeout: z.optional(z.number().check(z.gt(0))),
  /** Seconds the collection from one daemon may take in all (default 300); `--target-timeout`. */
  targetTimeout: z.optional(z.number().check(z.gt(0))),
  /** Findings listed in a report (default 100,000); `--max-findings`. */
  findings: z.optional(z.int().check(z.gte(1))),
  /** Findings of one rule about one subject: a file, a service, a container (default 100); `--max-findings-per-subject`. */
  findingsPerRuleAndSubject: z.optional(z.int().check(z.gte(1))),
});

export const configSchema = z.strictObject({
  failOn: z._default(severitySchema, 'low'),
  limits: z.optional(limitsSchema),
  rules: z._default(z.record(z.string(), ruleSettingSchema), {}),
  ignore: z._default(z.array(ignoreSchema), []),
  /** Run only the rules these select (`--only`); absent: every rule. */
  only: z.optional(selectorsSchema),
  /** Leave out the rules these select (`--skip`). */
  skip: z.optional(selectorsSchema),
  /** Audit only the containers whose name matches one of these globs (`--containers`). */
  containers: z.optional(patternsSchema),
  /** Leave out the containers whose name matches one of these globs (`--exclude-containers`). */
  excludeContainers: z.optional(patternsSchema),
  /** Audit only the containers carrying every one of these labels, `KEY` or `KEY=VALUE` (`--label`). */
  labels: z.optional(patternsSchema),
});

export type Config = z.infer<typeof configSchema>;
export type Limits = z.infer<typeof limitsSchema>;
export type IgnoreEntry = z.infer<typeof ignoreSchema>;
export type RuleSetting = z.infer<typeof ruleSettingSchema>;

export const DEFAULT_CONFIG: Config = configSchema.parse({});
