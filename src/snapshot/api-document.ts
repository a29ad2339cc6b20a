/**
 * Readers for the Engine API's documents as the snapshot keeps them: loosely typed, read
 * defensively, a missing or mistyped field read as empty.
 */
import type { ApiDocument } from './types.js';

export type { ApiDocument } from './types.js';

/** Reads a string field of a loosely typed API document. */
export function str(doc: ApiDocument | undefined, key: string): string {
  const value = doc?.[key];
  return typeof value === 'string' ? value : '';
}

/** Reads a numeric field of a loosely typed API document. */
export function num(doc: ApiDocument | undefined, key: string): number {
  const value = doc?.[key];
  return typeof value === 'number' ? value : 0;
}

/** Reads a nested object field of a loosely typed API document. */
export function obj(doc: ApiDocument | undefined, key: string): ApiDocument | undefined {
  const value = doc?.[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as ApiDocument) : undefined;
}

/** Reads an array field of a loosely typed API document. */
export function arr(doc: ApiDocument | undefined, key: string): unknown[] {
  const value = doc?.[key];
  return Array.isArray(value) ? value : [];
}

/** Reads an array of strings, dropping anything else. */
export function strings(doc: ApiDocument | undefined, key: string): string[] {
  return arr(doc, key).filter((item): item is string => typeof item === 'string');
}

/** Environment entries `NAME=value` as a record; an entry without `=` has an empty value. */
export function envRecord(entries: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    if (separator === -1) env[entry] = '';
    else env[entry.slice(0, separator)] = entry.slice(separator + 1);
  }
  return env;
}

/** The string-valued fields of a document (labels, log options). */
export function stringRecord(doc: ApiDocument | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc ?? {})) if (typeof value === 'string') record[key] = value;
  return record;
}
