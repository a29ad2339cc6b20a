/**
 * hadolint's inline ignores (`# hadolint ignore=DL3008,DL3009` for the next instruction,
 * `# hadolint global ignore=DL3006` for the whole file), honoured for the dockaudit rules that
 * judge exactly what the hadolint rule judges. Codes with no such rule are ignored: a hadolint
 * ignore never turns off a dockaudit check that asks for more (docs/hadolint.md lists them).
 */

/** hadolint code -> the dockaudit rule that means the same at the line hadolint reports. */
export const HADOLINT_EQUIVALENTS: Readonly<Record<string, string>> = {
  /** Last USER should not be root: DA802 at a `USER root` line. */
  DL3002: 'DA802',
  /** Do not use sudo. */
  DL3004: 'DA810',
  /** Avoid additional packages by specifying --no-install-recommends. */
  DL3015: 'DA813',
  /** Use COPY instead of ADD for files and folders. */
  DL3020: 'DA803',
  /** Use only an allowed registry in the FROM image. */
  DL3026: 'DA806',
  /** HEALTHCHECK instruction missing. */
  DL3057: 'DA814',
};

const PRAGMA = /^\s*#\s*hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)\s*$/;

/**
 * The pragma on this comment line, if it is a hadolint ignore: whether it is global, the
 * dockaudit rules it maps to (maybe none), and the codes as written.
 */
export function hadolintIgnore(line: string): { global: boolean; rules: string[]; codes: string[] } | undefined {
  const match = PRAGMA.exec(line);
  if (!match) return undefined;
  const codes = (match[2] ?? '').split(',').map((code) => code.trim().toUpperCase());
  const rules = [...new Set(codes.flatMap((code) => (HADOLINT_EQUIVALENTS[code] !== undefined ? [HADOLINT_EQUIVALENTS[code] as string] : [])))];
  return { global: match[1] !== undefined, rules, codes };
}
