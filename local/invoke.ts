import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localTwilioSigner } from './twilio-signer.ts';

/**
 * `npm run invoke -- <function> <event-file>` (`-` reads the event from standard input; `serverless invoke
 * local` comes here too, deploy/invoke-local-cloud.cjs): runs one function with an event on the running local
 * cloud. A sample Twilio webhook (an HTTP event with X-Twilio-Signature) is signed again as Twilio would
 * sign it for the local cloud, so `events/castVote-sms.json` casts a vote rather than being refused.
 */
const [name, eventFile] = process.argv.slice(2);
if (!name || !eventFile) {
  console.error(
    'usage: npm run invoke -- <function> <event-file>   e.g. npm run invoke -- getResults events/getResults.json',
  );
  process.exit(2);
}
// LOCAL_ENDPOINTS_FILE: another local cloud's endpoints (tests run their own).
const endpointsFile =
  process.env.LOCAL_ENDPOINTS_FILE ?? join(resolve(import.meta.dirname, '..'), '.local', 'endpoints.json');
let endpoints: { console: string; http: string; secretsmanager: string };
try {
  endpoints = JSON.parse(readFileSync(endpointsFile, 'utf8'));
} catch {
  console.error(
    `No local cloud is running (${endpointsFile} is missing): start it with \`npm start\` in another terminal.`,
  );
  process.exit(1);
}
const event = JSON.parse(readFileSync(eventFile === '-' ? 0 : resolve(eventFile), 'utf8')) as {
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
};
if (event.headers?.['x-twilio-signature'] !== undefined) {
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  event.headers['x-twilio-signature'] = (await localTwilioSigner(endpoints)).sign([...new URLSearchParams(body)]);
}
const response = await fetch(`${endpoints.console}/_local/invoke/${encodeURIComponent(name)}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(event),
});
const result = (await response.json()) as { ok: boolean; payload?: unknown; error?: unknown; durationMs?: number };
console.log(JSON.stringify(result.ok ? result.payload : { error: result.error }, null, 2));
process.exit(result.ok ? 0 : 1);
