/**
 * Installed packages from the package databases an image carries: dpkg's status file
 * (Debian, Ubuntu), the per-package status files of distroless images
 * (/var/lib/dpkg/status.d/<package>) and apk's installed database (Alpine).
 */
import type { ImageContents } from '../../../snapshot/image-contents.js';
import { finalText } from '../../../views/image-fs.js';
import { DPKG_STATUS_DIRECTORY, dpkgPackages, finalStatusFiles } from '../../../views/installed-packages.js';

export interface InstalledPackage {
  name: string;
  version: string;
}

export interface PackageDatabase {
  manager: 'dpkg' | 'apk';
  path: string;
  /** Layer holding the database's final version. */
  layer: number;
  packages: InstalledPackage[];
}

/** Paragraphs of `Key: value` lines (dpkg) or `K:value` lines (apk), separated by blank lines. */
function paragraphs(text: string): string[][] {
  return text.split(/\n\s*\n/).map((block) => block.split('\n'));
}

/** Packages dpkg records as installed (`Status: install ok installed`). */
export function parseDpkgStatus(text: string): InstalledPackage[] {
  return paragraphs(text).flatMap((lines) => {
    const field = (name: string): string => lines.find((line) => line.startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? '';
    const name = field('Package');
    if (name === '' || !/\binstalled$/.test(field('Status'))) return [];
    return [{ name, version: field('Version') }];
  });
}

/** Packages in apk's database (`P:` name, `V:` version). */
export function parseApkInstalled(text: string): InstalledPackage[] {
  return paragraphs(text).flatMap((lines) => {
    const name = lines.find((line) => line.startsWith('P:'))?.slice(2).trim() ?? '';
    const version = lines.find((line) => line.startsWith('V:'))?.slice(2).trim() ?? '';
    return name === '' ? [] : [{ name, version }];
  });
}

/** The package databases of the final filesystem. */
export function packageDatabases(contents: ImageContents): PackageDatabase[] {
  const databases: PackageDatabase[] = [];
  const dpkg = finalText(contents, 'var/lib/dpkg/status');
  if (dpkg) databases.push({ manager: 'dpkg', path: 'var/lib/dpkg/status', layer: dpkg.layer, packages: parseDpkgStatus(dpkg.text) });
  const perPackage = finalStatusFiles(contents);
  if (perPackage.length > 0) {
    databases.push({
      manager: 'dpkg',
      path: DPKG_STATUS_DIRECTORY,
      layer: perPackage.reduce((latest, file) => Math.max(latest, file.layer), 0),
      packages: perPackage.flatMap((file) => dpkgPackages(file.text, true).map((item) => ({ name: item.name, version: item.version }))),
    });
  }
  const apk = finalText(contents, 'lib/apk/db/installed');
  if (apk) databases.push({ manager: 'apk', path: 'lib/apk/db/installed', layer: apk.layer, packages: parseApkInstalled(apk.text) });
  return databases;
}
