/**
 * Version strings as the daemon reports them (`20.10.24+dfsg1`, `v1.7.27`, `1.6.20~ds1`) and
 * their place in the release table shipped with dockaudit.
 */
import type { Component, ReleaseLine } from '../data/docker-releases.js';

export interface ParsedVersion {
  major: number;
  minor: number;
  /** What follows the numbers: `+dfsg1`, `~ds1`, `-rc.1`, ''. */
  suffix: string;
}

export function parseVersion(raw: string): ParsedVersion | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?(.*)$/.exec(raw.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), suffix: match[3] as string };
}

/**
 * Whether a version is a distribution's own build (Debian's `+dfsg1`, `~ds1`, `+deb12u1`,
 * Ubuntu's `-0ubuntu1`...): such builds carry the distribution's backported fixes, which the
 * upstream line's status does not tell.
 */
export function isDistributionBuild(version: ParsedVersion): boolean {
  return /[+~]|ubuntu|deb\d|\.el\d|\.fc\d|dfsg/.test(version.suffix);
}

export type Placement = { line: ReleaseLine } | { newer: true } | { older: true } | { unlisted: true };

function lineNumbers(line: ReleaseLine): [number, number | undefined] {
  const [major, minor] = line.line.split('.').map(Number);
  return [major as number, minor];
}

function compare(version: ParsedVersion, line: ReleaseLine): number {
  const [major, minor] = lineNumbers(line);
  if (version.major !== major) return version.major - major;
  return minor === undefined ? 0 : version.minor - minor;
}

/** Where a version falls in a component's table. */
export function placeVersion(component: Component, version: ParsedVersion): Placement {
  const line = component.lines.find((candidate) => compare(version, candidate) === 0);
  if (line) return { line };
  const newest = component.lines[0];
  const oldest = component.lines[component.lines.length - 1];
  if (newest && compare(version, newest) > 0) return { newer: true };
  if (oldest && compare(version, oldest) < 0) return { older: true };
  return { unlisted: true };
}

/** The supported lines of a component, for messages: `29` or `2.3, 2.2`. */
export function supportedLines(component: Component): string {
  return component.lines
    .filter((line) => line.status === 'supported')
    .map((line) => line.line)
    .join(', ');
}
