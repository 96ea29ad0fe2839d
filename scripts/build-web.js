/**
 * Bundles the browser module (src/web/index.ts) with esbuild into dist/web/jam-web.js: an ES module a page imports
 * to join a session (`import { joinSession } from './jam-web.js'`). Run by `npm run build` after tsc.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The bundle's options; the browser test builds the same entry as a script for a page. */
export const webBuild = {
  entryPoints: [path.join(root, 'src/web/index.ts')],
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  logLevel: 'warning',
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build({ ...webBuild, format: 'esm', outfile: path.join(root, 'dist/web/jam-web.js') });
  console.log('built dist/web/jam-web.js');
}
