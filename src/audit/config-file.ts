/**
 * Config layering: defaults < config file < environment < flags, through one schema.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, describeError } from '../errors.js';
import { readBoundedFile, type BoundedRead } from '../collect/bounded-file.js';
import { configSchema, severitySchema, type Config } from '../engine/config.js';
import { splitSelectors } from '../engine/select.js';
import type { Severity } from '../rules/types.js';

export const CONFIG_FILE_NAMES = ['.dockaudit.yml', '.dockaudit.yaml', '.dockaudit.json'];

/** Finds the config file: the flag, DOCKAUDIT_CONFIG, or one of the default names in `cwd`. */
export function findConfigFile(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const explicit = flag ?? env['DOCKAUDIT_CONFIG'];
  if (explicit) return resolve(cwd, explicit);
  return CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

/** No config file comes near this; a larger one is refused rather than read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The text of a config file: a regular file only, at most MAX_CONFIG_BYTES of it (see collect/bounded-file.ts). */
function readConfigText(path: string): string {
  let read: BoundedRead;
  try {
    read = readBoundedFile(path, MAX_CONFIG_BYTES);
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${describeError(error)}`);
  }
  if (read.status === 'not-regular') throw new ConfigError(`cannot read config file ${path}: not a regular file`);
  if (read.status === 'too-large') throw new ConfigError(`cannot read config file ${path}: larger than ${MAX_CONFIG_BYTES} bytes`);
  return read.bytes.toString('utf8');
}

async function readConfigFile(path: string): Promise<unknown> {
  const text = readConfigText(path);
  try {
    // YAML is a superset of JSON; its parser loads only when there is a config file to read.
    const { parseConfigText } = await import('./config-yaml.js');
    return parseConfigText(text) ?? {};
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid YAML: ${describeError(error)}`);
  }
}

/** Where the configuration comes from, and the flags that override it. */
export interface ConfigOverrides {
  /** The config file; default `DOCKAUDIT_CONFIG`, else `.dockaudit.yml` (`.yaml`, `.json`) in `cwd` when there is one. */
  file?: string;
  /** Where a relative `file` and the default names are looked up; default `process.cwd()`. */
  cwd?: string;
  /** Where `DOCKAUDIT_CONFIG` and `DOCKAUDIT_FAIL_ON` are read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Overrides the file and the environment (`--fail-on`). */
  failOn?: string;
}

function parseSeverity(value: string, origin: string): Severity {
  const parsed = severitySchema.safeParse(value);
  if (!parsed.success) throw new ConfigError(`${origin}: "${value}" is not a severity (critical, high, medium, low, info)`);
  return parsed.data;
}

/** Builds the effective configuration: defaults < config file < environment < flags. */
export async function loadConfig(flags: ConfigOverrides = {}): Promise<Config> {
  const env = flags.env ?? process.env;
  const path = findConfigFile(flags.file, env, flags.cwd ?? process.cwd());
  const raw = path ? await readConfigFile(path) : {};
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`config file ${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const config = parsed.data;
  // `only: [DA505, "cis:2,cis:3"]` reads as the flags do.
  if (config.only !== undefined) config.only = splitSelectors(config.only);
  if (config.skip !== undefined) config.skip = splitSelectors(config.skip);
  const envFailOn = env['DOCKAUDIT_FAIL_ON'];
  if (envFailOn) config.failOn = parseSeverity(envFailOn, 'DOCKAUDIT_FAIL_ON');
  if (flags.failOn) config.failOn = parseSeverity(flags.failOn, '--fail-on');
  return config;
}
