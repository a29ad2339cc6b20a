/**
 * zod, the schema library of the config, snapshots and rule options, in its small form
 * (zod/mini: functions rather than chained methods, so the bundle keeps only what is used and
 * loads in a few milliseconds), with English messages. Import it as `import * as z`.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
