// Run in a fresh process by bench/cold-start.ts: loads one module the way the Lambda runtime does
// (require for CommonJS, import for ES modules), times that alone, prints one JSON line and exits.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

if (!process.argv[2]) throw new Error('usage: node load-module.ts <file>');
const file = resolve(process.argv[2]);
const started = process.hrtime.bigint();
if (file.endsWith('.mjs')) await import(pathToFileURL(file).href);
else createRequire(import.meta.url)(file);
const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(`${JSON.stringify({ loadMs, sourceMapsEnabled: process.sourceMapsEnabled })}\n`);
process.exit(0);
