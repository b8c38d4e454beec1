/**
 * `npm run build:tracker [-- --sourcemap]`: bundles the tracking server (src/server/tracking/main.ts) and
 * everything it imports into one ES module, dist/tracker/server.mjs, that plain `node` runs without
 * node_modules — what the container image (Dockerfile) holds.
 */
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
export const TRACKER_BUNDLE = resolve(root, 'dist', 'tracker', 'server.mjs');

/** Builds the bundle; returns its path. */
export async function buildTracker({ sourcemap = false } = {}): Promise<string> {
  await build({
    entryPoints: [resolve(root, 'src', 'server', 'tracking', 'main.ts')],
    outfile: TRACKER_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm', // main.ts awaits at top level
    minify: true,
    sourcemap: sourcemap ? 'linked' : false,
    legalComments: 'none',
    logLevel: 'warning',
    // Bundled CommonJS packages (the AWS SDK, redis) call require() for Node's own modules: give an ES module one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  return TRACKER_BUNDLE;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { sourcemap: { type: 'boolean', default: false } } });
  console.log(`built ${await buildTracker(values)}`);
}
