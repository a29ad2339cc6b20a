/**
 * Bundles the compiled CLI (dist/cli/main.js) and its dependencies into dist/bundle/: one
 * entry module plus chunks that load on demand (the Compose and Dockerfile parsers, the image
 * layer scanner, each rule family). Node starts a handful of bundled modules several times
 * faster than the hundreds of files they are made of, and a host audit never loads the parsers
 * it does not need.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['dist/cli/main.js'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require(); ESM output needs one to hand them.
  banner: { js: "import { createRequire as __dockauditCreateRequire } from 'node:module'; const require = __dockauditCreateRequire(import.meta.url);" },
});
