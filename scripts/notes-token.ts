// `npm run notes:token -- <user> [--groups operators,...] [--json] [--console URL]`
// Prints a token for <user> that the running local cloud's JWT authorizer (notesAuthorizer) accepts:
// a Cognito-like ID token signed with the local cloud's own key, valid for an hour, with the groups in
// `cognito:groups` (none: no such claim). Local use only — on AWS, users sign in to the NotesUserPool.
import { parseArgs } from 'node:util';
import { fail, localEndpoint } from './lib/local-cloud.ts';

const usage = 'usage: npm run notes:token -- <user> [--groups operators,...] [--json] [--console URL]';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean' },
    groups: { type: 'string' },
    console: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) fail(usage, 0);
const user = positionals[0];
if (!user || positionals.length > 1) fail(usage);

const groups = (values.groups ?? '')
  .split(',')
  .map((group) => group.trim())
  .filter(Boolean);

const consoleUrl = values.console ?? localEndpoint('console', '--console');
const response = await fetch(`${consoleUrl}/_local/auth/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ user, groups }),
}).catch((error: Error) =>
  fail(`cannot reach the local cloud's console at ${consoleUrl} (${error.message}): is it running?`),
);
const answer = (await response.json().catch(() => undefined)) as
  { token?: string; expiresAt?: string; error?: { message: string } } | undefined;
if (!response.ok || !answer?.token) fail(`no token: ${answer?.error?.message ?? `HTTP ${response.status}`}`);
console.log(values.json ? JSON.stringify({ token: answer.token, expiresAt: answer.expiresAt }) : answer.token);
