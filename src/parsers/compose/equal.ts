/**
 * Duplicate list entries in linear time, for the `uniqueItems` checks of the precompiled
 * validators (scripts/gen-compose-validators.mjs wires `lastRepeat` in where Ajv would compare
 * every entry with every other). Entries are equal as JSON data is: mappings whatever the
 * order of their keys, lists item by item, NaN equal to itself, 1 unequal to "1". The
 * validators are given null-prototype objects (see `plainForSchema`), read here with
 * `Object.keys` only.
 */

/** Appends the canonical text of `value` to `parts`: equal data, equal text. */
function appendKey(value: unknown, parts: string[]): void {
  if (value === null) {
    parts.push('null');
  } else if (Array.isArray(value)) {
    parts.push('[');
    for (const item of value) {
      appendKey(item, parts);
      parts.push(',');
    }
    parts.push(']');
  } else if (typeof value === 'object') {
    const mapping = value as Record<string, unknown>;
    parts.push('{');
    for (const key of Object.keys(mapping).sort()) {
      parts.push(JSON.stringify(key), ':');
      appendKey(mapping[key], parts);
      parts.push(',');
    }
    parts.push('}');
  } else if (typeof value === 'string') {
    parts.push(JSON.stringify(value));
  } else {
    // Numbers (-0 as 0, NaN and the infinities by name), booleans, undefined: tagged by type.
    parts.push(`${typeof value}:${String(value)}`);
  }
}

/** A text that two values share exactly when they are equal as JSON data. */
export function canonicalKey(value: unknown): string {
  const parts: string[] = [];
  appendKey(value, parts);
  return parts.join('');
}

/**
 * The pair Ajv's `uniqueItems` reports, found in one pass: the last index `i` whose entry
 * appeared before, and `j`, the last earlier index holding the same entry. Undefined when the
 * entries are all different.
 */
export function lastRepeat(items: readonly unknown[]): { i: number; j: number } | undefined {
  const lastSeen = new Map<string, number>();
  let repeat: { i: number; j: number } | undefined;
  items.forEach((item, index) => {
    const key = canonicalKey(item);
    const earlier = lastSeen.get(key);
    if (earlier !== undefined) repeat = { i: index, j: earlier };
    lastSeen.set(key, index);
  });
  return repeat;
}
