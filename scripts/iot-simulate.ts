// `npm run iot:simulate -- --devices N --rate R --duration S [--stream NAME] [--endpoint URL] [--prefix P] [--out FILE]`
// Simulates N devices (`<prefix>device-<n>`, default prefix `sim-`), each sending R readings per second
// (default 1; fractions allowed, e.g. 0.2 = one every 5 s) for S seconds, to SensorEventStream of the
// running local cloud: the Kinesis endpoint comes from .local/endpoints.json, the stream is the one named
// *-SensorEventStream. Readings go out in PutRecords calls of up to 500 (partition key = sensorId); entries
// Kinesis rejects are retried with backoff. Prints what it sent each second and a summary; with --out
// writes every reading Kinesis accepted as NDJSON. Exits 1 if any reading could not be sent.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { readingJson, type ReadingJson } from '../src/domain/iot/reading.ts';
import {
  initialState,
  nextReadings,
  schedule,
  simulatorOptions,
  tickTimeMs,
  ticksDue,
} from '../src/domain/iot/simulation.ts';
import { fail, findStream, localKinesis } from './lib/local-cloud.ts';
import { putWithRetries } from './lib/put-records.ts';

const usage =
  'usage: npm run iot:simulate -- --devices N --rate R --duration S [--stream NAME] [--endpoint URL] [--prefix P] [--out FILE]';
const { values } = parseArgs({
  options: {
    devices: { type: 'string' },
    rate: { type: 'string' },
    duration: { type: 'string' },
    prefix: { type: 'string' },
    stream: { type: 'string' },
    endpoint: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) fail(usage, 0);
const parsed = simulatorOptions(values);
if (!parsed.ok) fail(`${parsed.reason}\n${usage}`);
const options = parsed.value;

const kinesis = localKinesis(values.endpoint);
const stream = values.stream ?? (await findStream(kinesis, 'SensorEventStream'));
const totals = { sent: 0, retried: 0, failed: 0 };
const accepted: ReadingJson[] = [];
let stopping = false;
process.once('SIGINT', () => {
  stopping = true;
});

console.log(
  `simulating ${options.devices} device(s) x ${options.rate} reading(s)/s for ${options.durationS} s -> ${stream}`,
);
await simulate();
kinesis.destroy();
if (values.out) writeFileSync(resolve(values.out), accepted.map((reading) => `${JSON.stringify(reading)}\n`).join(''));
console.log(
  `done: sent ${totals.sent}, retried ${totals.retried}, failed ${totals.failed}${values.out ? ` (sent readings in ${values.out})` : ''}`,
);
process.exit(totals.failed > 0 ? 1 : 0);

/** Sends each tick's readings when it is due; ticks that fall due while a call is in flight go together. */
async function simulate(): Promise<void> {
  const plan = schedule(options.rate, options.durationS);
  let state = initialState(options, Math.random);
  const startMs = Date.now();
  let tick = 0;
  let reportedSecond = 0;
  let sentAtLastReport = 0;
  while (tick < plan.totalTicks && !stopping) {
    const due = ticksDue(plan, Date.now() - startMs);
    const readings: ReadingJson[] = [];
    for (; tick < due; tick += 1) {
      const next = nextReadings(state, tickTimeMs(plan, startMs, tick), Math.random);
      state = next.state;
      readings.push(...next.readings.map(readingJson));
    }
    if (readings.length > 0) await send(readings);
    const second = Math.floor((Date.now() - startMs) / 1000);
    if (second > reportedSecond || tick >= plan.totalTicks) {
      console.log(
        `${String(second).padStart(4)} s  sent ${totals.sent} (+${totals.sent - sentAtLastReport})  retried ${totals.retried}  failed ${totals.failed}`,
      );
      reportedSecond = second;
      sentAtLastReport = totals.sent;
    }
    if (tick < plan.totalTicks) await sleep(Math.max(0, tickTimeMs(plan, startMs, tick) - Date.now()));
  }
}

/** Sends readings (PutRecords, rejected entries retried) and counts what went and what could not. */
async function send(readings: readonly ReadingJson[]): Promise<void> {
  const outcome = await putWithRetries(kinesis, stream, readings, (reading) => ({
    PartitionKey: reading.sensorId,
    Data: Buffer.from(JSON.stringify(reading)),
  }));
  accepted.push(...outcome.accepted);
  totals.sent += outcome.accepted.length;
  totals.retried += outcome.retried;
  totals.failed += outcome.failed.length;
  if (outcome.failed.length > 0)
    console.error(`${outcome.failed.length} reading(s) not sent after retries: ${outcome.lastError}`);
}
