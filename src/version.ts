import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  name?: string;
  version?: string;
  repository?: string | { url?: string };
}

/** dockaudit's package.json: the nearest one above this module, bundled or not. */
function readPackage(): PackageJson {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth += 1) {
    const candidate = join(directory, 'package.json');
    if (existsSync(candidate)) {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as PackageJson;
      if (parsed.name === 'dockaudit' && parsed.version) return parsed;
    }
    directory = dirname(directory);
  }
  return {};
}

const PACKAGE = readPackage();

/** dockaudit's own version, from package.json. */
export const VERSION: string = PACKAGE.version ?? '0.0.0';

/**
 * The repository's web address from package.json's `repository` (`git+https://…/x.git` and
 * `github:owner/name` read as https), or undefined when it names none.
 */
function repositoryUrl(repository: PackageJson['repository']): string | undefined {
  const written = typeof repository === 'string' ? repository : repository?.url;
  if (written === undefined || written === '') return undefined;
  const github = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(written);
  if (github) return `https://github.com/${github[1]}`;
  const url = written.replace(/^git\+/, '').replace(/\.git$/, '');
  return /^https:\/\//.test(url) ? url : undefined;
}

/** Where the rule pages are published: `<repository>/blob/main/docs/rules`, when package.json names a repository. */
export const RULE_DOCS_URL: string | undefined = ((repository) => (repository === undefined ? undefined : `${repository}/blob/main/docs/rules`))(repositoryUrl(PACKAGE.repository));
