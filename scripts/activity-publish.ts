// `npm run activity:publish -- --events N [--users U] [--stream NAME] [--endpoint URL] [--out FILE]`
// Publishes N sample activity events (default 100) of U users (default 5: alice, bob, …) to ActivityStream
// of the running local cloud: the Kinesis endpoint comes from .local/endpoints.json, the stream is the one
// named *-ActivityStream. Field spellings and time formats vary as real producers' do; ids are
// `<run id>-<n>`, new each run. PutRecords calls of up to 500 (partition key = user name); entries
// Kinesis rejects are retried with backoff. Prints a summary; with --out writes every event Kinesis
// accepted as NDJSON. Exits 1 if any event could not be sent.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { producedUsername, publishOptions, sampleActivityEvents } from '../src/domain/activity/samples.ts';
import { fail, findStream, localKinesis } from './lib/local-cloud.ts';
import { putWithRetries } from './lib/put-records.ts';

const usage = 'usage: npm run activity:publish -- --events N [--users U] [--stream NAME] [--endpoint URL] [--out FILE]';
const { values } = parseArgs({
  options: {
    events: { type: 'string' },
    users: { type: 'string' },
    stream: { type: 'string' },
    endpoint: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) fail(usage, 0);
const parsed = publishOptions(values);
if (!parsed.ok) fail(`${parsed.reason}\n${usage}`);

const kinesis = localKinesis(values.endpoint);
const stream = values.stream ?? (await findStream(kinesis, 'ActivityStream'));
const runId = randomUUID().slice(0, 8);
const events = sampleActivityEvents(parsed.value, runId, Date.now(), Math.random);

console.log(
  `publishing ${events.length} activity event(s) of ${Math.min(parsed.value.users, events.length)} user(s) at most -> ${stream} (ids ${runId}-1…)`,
);
const outcome = await putWithRetries(kinesis, stream, events, (event) => ({
  PartitionKey: producedUsername(event),
  Data: Buffer.from(JSON.stringify(event)),
}));
const accepted = outcome.accepted;
const totals = { sent: accepted.length, retried: outcome.retried, failed: outcome.failed.length };
if (outcome.failed.length > 0)
  console.error(`${outcome.failed.length} event(s) not sent after retries: ${outcome.lastError}`);
kinesis.destroy();
if (values.out) writeFileSync(resolve(values.out), accepted.map((event) => `${JSON.stringify(event)}\n`).join(''));
const users = new Set(accepted.map(producedUsername)).size;
console.log(
  `done: sent ${totals.sent} of ${users} user(s), retried ${totals.retried}, failed ${totals.failed}${values.out ? ` (sent events in ${values.out})` : ''}`,
);
process.exit(totals.failed > 0 ? 1 : 0);
