// `npm run proto`: regenerates the static code for tracking.proto (pbjs static-module, ES module
// importing `protobufjs/minimal.js`, plus a .d.ts from pbts). Nothing parses .proto files at run time.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
export const PROTO_FILE = join(root, 'src', 'proto', 'tracking.proto');
export const GENERATED_DIR = join(root, 'src', 'proto', 'generated');

/** Writes tracking.js and tracking.d.ts into outDir. */
export function generate(outDir: string = GENERATED_DIR): void {
  mkdirSync(outDir, { recursive: true });
  const js = join(outDir, 'tracking.js');
  run('pbjs', [
    '--target',
    'static-module',
    '--wrap',
    'es6',
    // The explicit .js path resolves under Node's ESM rules and in esbuild alike.
    '--dependency',
    'protobufjs/minimal.js',
    // Only what the codec uses: the smaller module, the less to bundle and review.
    '--no-verify',
    '--no-convert',
    '--no-delimited',
    '--no-typeurl',
    '--out',
    js,
    PROTO_FILE,
  ]);
  run('pbts', ['--out', join(outDir, 'tracking.d.ts'), js]);
}

function run(bin: string, args: string[]): void {
  execFileSync(process.execPath, [join(root, 'node_modules', 'protobufjs-cli', 'bin', bin), ...args], {
    cwd: root,
    stdio: 'inherit',
  });
}

if (import.meta.main) generate();
