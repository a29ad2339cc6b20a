/**
 * Readers for the daemon facts several daemon rules share: effective settings with their
 * origin, boolean flags however they were spelled, and the entries of `info.SecurityOptions`.
 * Kept out of the rule folder's top level because every `.ts` file there is one rule.
 */
import { isUnavailable, type ApiDocument, type DaemonConfigFacts, type DaemonFacts } from '../../snapshot/types.js';
import { arr } from '../../snapshot/api-document.js';

/** Where an effective setting came from, in words for messages. */
export type SettingOrigin = 'daemon.json' | 'command line' | 'default';

export interface Setting {
  /** The effective value; undefined when neither daemon.json nor a flag sets it. */
  value: unknown;
  origin: SettingOrigin;
}

/**
 * One effective setting and its origin. An undefined `config` (not visible) reads as nothing
 * set; a rule that decides from settings alone needs 'daemonConfig', so it never gets here then.
 */
export function settingOf(config: DaemonConfigFacts | undefined, key: string): Setting {
  const value = config?.settings[key];
  if (value === undefined) return { value: undefined, origin: 'default' };
  return { value, origin: config?.origin[key] === 'flag' ? 'command line' : 'daemon.json' };
}

/** A boolean setting, whether it arrived as a JSON boolean or as a flag's text; undefined otherwise. */
export function asBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

/** A setting that may be one string or a list of them (`hosts`, `storage-opts`), as a list. */
export function asStringList(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string' && item !== '');
  return [];
}

/** Why the daemon's configuration could not be read, or undefined when it was. */
export function configUnavailableReason(daemon: DaemonFacts): string | undefined {
  return isUnavailable(daemon.config) ? daemon.config.reason : undefined;
}

/** A `SecurityOptions` entry such as `name=seccomp,profile=default`, split into its fields. */
export type SecurityOption = Record<string, string>;

/** The daemon's `SecurityOptions`, parsed; undefined when info does not carry the list at all. */
export function securityOptionsOf(info: ApiDocument): SecurityOption[] | undefined {
  if (!Array.isArray(info['SecurityOptions'])) return undefined;
  return arr(info, 'SecurityOptions')
    .filter((entry): entry is string => typeof entry === 'string')
    .map((entry) =>
      Object.fromEntries(
        entry.split(',').map((field) => {
          const separator = field.indexOf('=');
          return separator === -1 ? [field, ''] : [field.slice(0, separator), field.slice(separator + 1)];
        }),
      ),
    );
}

/** Whether `SecurityOptions` has an entry `name=<name>`. */
export function hasSecurityOption(info: ApiDocument, name: string): boolean {
  return (securityOptionsOf(info) ?? []).some((option) => option['name'] === name);
}

/** Names of the authorization plugins the running daemon reports in `Plugins.Authorization`. */
export function authorizationPluginsOf(info: ApiDocument): string[] {
  const plugins = info['Plugins'];
  if (typeof plugins !== 'object' || plugins === null) return [];
  return asStringList((plugins as ApiDocument)['Authorization']);
}
