/**
 * What an image has installed, as advisories name it: each package with the source package it
 * was built from (Debian and Ubuntu advisories name source packages, `Source:` in dpkg's status;
 * Alpine's name the origin, `o:` in apk's database) and the OSV ecosystems of the image's
 * release, from its os-release file.
 *
 * Distroless images have no dpkg status file: they record each package in a file of its own,
 * /var/lib/dpkg/status.d/<package>, in the same format; those of the final filesystem are read
 * (a file a later layer deleted is not).
 *
 * Not covered: rpm databases (Berkeley DB or SQLite files, not kept by the scan) and language
 * packages (npm, pip, gems, Go modules, jars).
 */
import type { ImageContents } from '../snapshot/image-contents.js';
import { finalText, layersOf } from './image-fs.js';

/** The directory of per-package status files distroless images have instead of dpkg's status. */
export const DPKG_STATUS_DIRECTORY = 'var/lib/dpkg/status.d/';

export type PackageManager = 'dpkg' | 'apk';

export interface InstalledPackage {
  name: string;
  version: string;
  /** The source package advisories are about, and its version (differs from the binary's after a binNMU). */
  source: string;
  sourceVersion: string;
}

export interface ImagePackages {
  manager: PackageManager;
  /** The database file, an image path. */
  path: string;
  packages: InstalledPackage[];
}

/** An image's release as OSV names it, and how its versions are ordered. */
export interface ImageRelease {
  /** `Debian GNU/Linux 12 (bookworm)`, for messages. */
  name: string;
  /** OSV ecosystems to look advisories up in, most specific first (`Ubuntu:22.04:LTS`, `Ubuntu:22.04`). */
  ecosystems: string[];
  versionOrder: PackageManager;
}

/** `KEY=value` lines of an os-release file, quotes removed. */
export function parseOsReleaseText(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const equals = line.indexOf('=');
    if (line.startsWith('#') || equals <= 0) continue;
    let value = line.slice(equals + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) value = value.slice(1, -1).replace(/\\(["$`\\])/g, '$1');
    fields[line.slice(0, equals)] = value;
  }
  return fields;
}

/** The os-release fields of the final filesystem, when there is such a file. */
export function imageOsReleaseFields(contents: ImageContents): Record<string, string> | undefined {
  for (const path of ['etc/os-release', 'usr/lib/os-release']) {
    const found = finalText(contents, path);
    if (found) return parseOsReleaseText(found.text);
  }
  return undefined;
}

/**
 * The OSV ecosystems of a release: `Debian:12`, `Alpine:v3.19`, `Ubuntu:22.04:LTS`. Undefined for
 * a distribution or release OSV has no ecosystem for (Debian testing has no VERSION_ID).
 */
export function releaseOf(fields: Record<string, string>): ImageRelease | undefined {
  const id = (fields['ID'] ?? '').toLowerCase();
  const version = fields['VERSION_ID'] ?? '';
  const name = fields['PRETTY_NAME'] || `${id} ${version}`.trim();
  if (id === 'debian' && /^\d+$/.test(version)) return { name, ecosystems: [`Debian:${version}`], versionOrder: 'dpkg' };
  if (id === 'ubuntu' && /^\d+\.\d+$/.test(version)) {
    const lts = /\bLTS\b/.test(fields['VERSION'] ?? '') || /\bLTS\b/.test(fields['PRETTY_NAME'] ?? '');
    return { name, ecosystems: lts ? [`Ubuntu:${version}:LTS`, `Ubuntu:${version}`] : [`Ubuntu:${version}`, `Ubuntu:${version}:LTS`], versionOrder: 'dpkg' };
  }
  const alpine = /^(\d+)\.(\d+)/.exec(version);
  if (id === 'alpine' && alpine) return { name, ecosystems: [`Alpine:v${alpine[1]}.${alpine[2]}`], versionOrder: 'apk' };
  return undefined;
}

/** Paragraphs of a package database: blocks of lines separated by blank lines. */
function* paragraphs(text: string): Generator<string[]> {
  let lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (lines.length > 0) yield lines;
      lines = [];
    } else lines.push(line);
  }
  if (lines.length > 0) yield lines;
}

/**
 * Installed packages of dpkg's status file, with their source package (`Source: name (version)`).
 * `statusOptional`: a stanza without a `Status:` field counts as installed (the per-package files
 * of distroless images carry none; one that has the field must still say `installed`).
 */
export function dpkgPackages(text: string, statusOptional = false): InstalledPackage[] {
  const packages: InstalledPackage[] = [];
  for (const lines of paragraphs(text)) {
    let name = '';
    let version = '';
    let status: string | undefined;
    let source = '';
    for (const line of lines) {
      if (line.startsWith('Package:')) name = line.slice(8).trim();
      else if (line.startsWith('Version:')) version = line.slice(8).trim();
      else if (line.startsWith('Status:')) status = line.slice(7).trim();
      else if (line.startsWith('Source:')) source = line.slice(7).trim();
    }
    if (name === '' || version === '') continue;
    if (status === undefined ? !statusOptional : !status.endsWith(' installed')) continue;
    const open = source.indexOf('(');
    const sourceName = (open === -1 ? source : source.slice(0, open)).trim() || name;
    const close = source.indexOf(')', open);
    const sourceVersion = open !== -1 && close > open ? source.slice(open + 1, close).trim() : version;
    packages.push({ name, version, source: sourceName, sourceVersion: sourceVersion || version });
  }
  return packages;
}

/** Packages of apk's installed database, with their origin (`o:`). */
export function apkPackages(text: string): InstalledPackage[] {
  const packages: InstalledPackage[] = [];
  for (const lines of paragraphs(text)) {
    let name = '';
    let version = '';
    let origin = '';
    for (const line of lines) {
      if (line.startsWith('P:')) name = line.slice(2).trim();
      else if (line.startsWith('V:')) version = line.slice(2).trim();
      else if (line.startsWith('o:')) origin = line.slice(2).trim();
    }
    if (name === '' || version === '') continue;
    packages.push({ name, version, source: origin || name, sourceVersion: version });
  }
  return packages;
}

/**
 * The per-package status files of the final filesystem, by path: each path any layer kept,
 * read from the layer whose version is final (a file deleted by a whiteout, or hidden by an
 * opaque directory, is left out).
 */
export function finalStatusFiles(contents: ImageContents): { path: string; text: string; layer: number }[] {
  const paths = new Set<string>();
  for (const scan of layersOf(contents)) for (const path of Object.keys(scan.texts)) if (path.startsWith(DPKG_STATUS_DIRECTORY)) paths.add(path);
  const files: { path: string; text: string; layer: number }[] = [];
  for (const path of [...paths].sort()) {
    const found = finalText(contents, path);
    if (found) files.push({ path, ...found });
  }
  return files;
}

/**
 * The package database of the final filesystem that the release's advisories apply to: dpkg's
 * status file, with the packages of status.d/ files it does not list; else the status.d/ files
 * alone (distroless); else apk's database.
 */
export function imagePackages(contents: ImageContents): ImagePackages | undefined {
  const dpkg = finalText(contents, 'var/lib/dpkg/status');
  const perPackage = finalStatusFiles(contents);
  if (dpkg || perPackage.length > 0) {
    const packages = dpkg ? dpkgPackages(dpkg.text) : [];
    const seen = new Set(packages.map((item) => item.name));
    for (const file of perPackage) {
      for (const item of dpkgPackages(file.text, true)) {
        if (seen.has(item.name)) continue;
        seen.add(item.name);
        packages.push(item);
      }
    }
    return { manager: 'dpkg', path: dpkg ? 'var/lib/dpkg/status' : DPKG_STATUS_DIRECTORY, packages };
  }
  const apk = finalText(contents, 'lib/apk/db/installed');
  if (apk) return { manager: 'apk', path: 'lib/apk/db/installed', packages: apkPackages(apk.text) };
  return undefined;
}
