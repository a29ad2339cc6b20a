import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dockaudit's package.json: the nearest one above this module, bundled or not. */
function readPackageVersion(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth += 1) {
    const candidate = join(directory, 'package.json');
    if (existsSync(candidate)) {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === 'dockaudit' && parsed.version) return parsed.version;
    }
    directory = dirname(directory);
  }
  return '0.0.0';
}

/** dockaudit's own version, from package.json. */
export const VERSION: string = readPackageVersion();
