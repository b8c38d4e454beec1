// `npm run logs:publish -- [--events N] [--groups G] [--corrupt K] [--stream NAME] [--endpoint URL] [--run ID] [--out FILE]`
// Puts what a CloudWatch Logs subscription filter would put on LogStream of the running local cloud:
// N log events (default 100) of G log groups `/aws/lambda/<run>-<n>` (default 3) as gzip JSON DATA_MESSAGE
// records, one CONTROL_MESSAGE, and K corrupt records (default 0; plain text, not gzip) that the
// transformation fails. The Kinesis endpoint comes from .local/endpoints.json, the stream is the one
// named *-LogStream. Prints what it sent; with --out writes {run, eventIds, corrupt} as JSON.
// Exits 1 if any record could not be put.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { putRecordsSettled } from '../src/adapters/kinesis.ts';
import { controlMessage, sampleDataMessages } from '../src/domain/logging/publish.ts';
import { encodeSubscriptionData } from '../src/domain/logging/subscription.ts';
import { fail, findStream, localKinesis } from './lib/local-cloud.ts';

const usage =
  'usage: npm run logs:publish -- [--events N] [--groups G] [--corrupt K] [--stream NAME] [--endpoint URL] [--run ID] [--out FILE]';
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100' },
    groups: { type: 'string', default: '3' },
    corrupt: { type: 'string', default: '0' },
    stream: { type: 'string' },
    endpoint: { type: 'string' },
    run: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) fail(usage, 0);
const count = (name: 'events' | 'groups' | 'corrupt', min: number) => {
  const value = Number(values[name]);
  return Number.isInteger(value) && value >= min && value <= 1_000_000
    ? value
    : fail(`--${name} must be a whole number from ${min}\n${usage}`);
};
const [events, groups, corrupt] = [count('events', 1), count('groups', 1), count('corrupt', 0)];
const run = values.run ?? `logs-${randomUUID().slice(0, 8)}`;
if (!/^[A-Za-z0-9_-]{1,64}$/.test(run)) fail(`--run must be 1-64 letters, digits, - or _\n${usage}`);

const kinesis = localKinesis(values.endpoint);
const stream = values.stream ?? (await findStream(kinesis, 'LogStream'));
const nowMs = Date.now();
const messages = sampleDataMessages({
  events,
  groups: Math.min(groups, events),
  runId: run,
  owner: '000000000000',
  nowMs,
});
const corruptRecords = Array.from({ length: corrupt }, (_, k) => `corrupt-${run}-${k}: not a CloudWatch Logs payload`);
const entries = [
  { Data: encodeSubscriptionData(controlMessage(nowMs)), PartitionKey: randomUUID() },
  ...messages.map((message) => ({ Data: encodeSubscriptionData(message), PartitionKey: randomUUID() })),
  ...corruptRecords.map((text) => ({ Data: Buffer.from(text), PartitionKey: randomUUID() })),
];
const accepted = await putRecordsSettled(stream, entries, kinesis);
kinesis.destroy();
const unsent = accepted.filter((ok) => !ok).length;
console.log(`run ${run} -> ${stream}`);
console.log(
  `sent ${messages.length} data message(s) with ${events} log event(s) of ${Math.min(groups, events)} log group(s) (/aws/lambda/${run}-*), 1 control message, ${corrupt} corrupt record(s)`,
);
if (values.out) {
  writeFileSync(
    resolve(values.out),
    JSON.stringify({ run, eventIds: messages.flatMap((m) => m.logEvents.map((e) => e.id)), corrupt: corruptRecords }),
  );
}
if (unsent > 0) fail(`${unsent} record(s) not accepted by Kinesis after retries`);
