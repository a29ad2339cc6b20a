/**
 * Deep equality of plain data, for the `uniqueItems` checks of the precompiled validators
 * (scripts/gen-compose-validators.mjs wires it in place of Ajv's helper). The validators are
 * given null-prototype objects (see `plainForSchema`), which Ajv's helper, fast-deep-equal,
 * cannot compare: it calls `valueOf` on every object. Same answers otherwise, NaN included.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEqual(item, b[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]));
}
