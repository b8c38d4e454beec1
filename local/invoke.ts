import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `npm run invoke -- <function> <event-file>`: runs one function with a sample event on the running local cloud. */
const [name, eventFile] = process.argv.slice(2);
if (!name || !eventFile) {
  console.error('usage: npm run invoke -- <function> <event-file>   e.g. npm run invoke -- getResults events/getResults.json');
  process.exit(2);
}
const endpointsFile = join(resolve(import.meta.dirname, '..'), '.local', 'endpoints.json');
let consoleUrl: string;
try {
  consoleUrl = JSON.parse(readFileSync(endpointsFile, 'utf8')).console;
} catch {
  console.error(`No local cloud is running (${endpointsFile} is missing): start it with \`npm start\` in another terminal.`);
  process.exit(1);
}
const response = await fetch(`${consoleUrl}/_local/invoke/${encodeURIComponent(name)}`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: readFileSync(resolve(eventFile), 'utf8'),
});
const result = await response.json() as { ok: boolean; payload?: unknown; error?: unknown; durationMs?: number };
console.log(JSON.stringify(result.ok ? result.payload : { error: result.error }, null, 2));
process.exit(result.ok ? 0 : 1);
