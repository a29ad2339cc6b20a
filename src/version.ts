import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const packageJson = require('../package.json') as { version: string };

/** dockaudit's own version, from package.json. */
export const VERSION: string = packageJson.version;
