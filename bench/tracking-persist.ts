import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { startLocalCloud, LOCAL_CREDENTIALS, type LocalCloud } from '@refarch/local-cloud';
import { stage, type Stage } from '../scripts/lib/progress.ts';
import {
  decodeTrackingEvent,
  encodeTrackingEvent,
  toItem,
  validateTrackingEvent,
} from '../src/domain/tracking/tracking-event.ts';
import type { TrackingEvent } from '../src/domain/tracking/tracking-event.ts';
import { chunks } from '../src/domain/collections.ts';
import { bareBatchWrite } from './bare-batch-write.ts';
import { interleave, ratioTable } from './lib/interleave.ts';
import { createRuntime, type LambdaRuntime } from '@refarch/local-cloud';

/**
 * TrackingEventStream batches -> TrackingEvents on one local cloud: persistTrackingEvents records/s
 * (500-record Kinesis events invoked through the local Lambda runtime, one shard = one invocation at
 * a time, after one warm-up invocation), side by side with a baseline handler doing one PutItem per
 * record (in a second runtime with the same environment), and the bare limit: raw BatchWriteItem of the
 * same items into the same table (25 per request, 8 in flight), no decoding. The three run interleaved,
 * `--rounds` times, each round on fresh keys; the ratios to the bare limit are per round, then their
 * median. Plus decode + validate + map records/s on one core, in the domain alone.
 */
export async function run(args: string[], progress: Stage = stage()): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      records: { type: 'string', default: '5000' },
      batch: { type: 'string', default: '500' },
      rounds: { type: 'string', default: '5' },
    },
  });
  const [count, batchSize, rounds] = [Number(values.records), Number(values.batch), Number(values.rounds)];
  progress.set('domain alone: decode + validate + map');
  const domainRate = decodeValidateMapPerSecond(makeRecords('domain', count));
  progress.set('starting a local cloud');
  await withCloud(async (cloud) => {
    const baseline = baselineRuntime(cloud);
    try {
      for (const name of ['persistTrackingEvents', BASELINE])
        await runtimeOf(cloud, baseline, name).invoke(name, { Records: makeRecords(`warm-${name}-`, batchSize) });
      const correct: Record<string, boolean> = {};
      const measured = (name: string, result: { recordsPerSecond: number; allStored: boolean }) => {
        correct[name] = (correct[name] ?? true) && result.allStored;
        return result.recordsPerSecond;
      };
      const results = await interleave(
        [
          {
            name: 'bare limit: raw BatchWriteItem, no decoding',
            measure: async (round) =>
              measured('bare', await measureBareLimit(cloud, makeRecords(`r${round}-bare-`, count), `r${round}-bare-`)),
          },
          {
            name: 'persistTrackingEvents (BatchWriteItem x25, 8 in flight)',
            measure: async (round) =>
              measured(
                'ours',
                await measureFunction(
                  cloud,
                  cloud.runtime,
                  'persistTrackingEvents',
                  makeRecords(`r${round}-ours-`, count),
                  batchSize,
                  `r${round}-ours-`,
                ),
              ),
          },
          {
            name: 'baseline: one PutItem per record, sequential',
            measure: async (round) =>
              measured(
                'baseline',
                await measureFunction(
                  cloud,
                  baseline,
                  BASELINE,
                  makeRecords(`r${round}-base-`, count),
                  batchSize,
                  `r${round}-base-`,
                ),
              ),
          },
        ],
        { rounds, onSample: (name, round) => progress.set(`round ${round + 1} of ${rounds}: ${name} done`) },
      );
      console.log(
        `\ntracking persist: ${count} records per variant and round, Kinesis batches of ${batchSize}, one invocation at a time (one shard), ${rounds} interleaved rounds\n`,
      );
      console.table(ratioTable(results, 'records/s'));
      console.log(
        `every record stored in every round: ${JSON.stringify(correct)}; no batch item failures (a failure throws)`,
      );
      console.log(`domain alone: decode + validate + map ${domainRate} records/s on one core`);
    } finally {
      await baseline.stop();
    }
  });
}

const BASELINE = 'persistTrackingEventsBaseline';

/** A second local Lambda runtime holding only the baseline handler, with persistTrackingEvents' environment. */
function baselineRuntime(cloud: LocalCloud): LambdaRuntime {
  const spec = cloud.runtime.describe('persistTrackingEvents');
  if (!spec) throw new Error('no persistTrackingEvents in the template');
  return createRuntime({
    functions: [
      {
        ...spec,
        name: BASELINE,
        physicalName: `${spec.physicalName}-baseline`,
        handlerFile: join(import.meta.dirname, 'baseline', 'persist-tracking-per-record.ts'),
        environment: cloud.functionEnvironment('persistTrackingEvents'),
      },
    ],
    baseEnvironment: {},
    onLog: () => {},
    sendToDestination: async () => {},
  });
}

function runtimeOf(cloud: LocalCloud, baseline: LambdaRuntime, name: string): LambdaRuntime {
  return name === BASELINE ? baseline : cloud.runtime;
}

async function withCloud(body: (cloud: LocalCloud) => Promise<void>): Promise<void> {
  const serviceDir = resolve(import.meta.dirname, '..');
  const cloud = await startLocalCloud({
    serviceDir,
    stage: 'bench',
    stateDir: join(serviceDir, '.local', 'bench'),
    onLog: () => {},
  });
  try {
    await body(cloud);
  } finally {
    await cloud.stop();
  }
}

function trackingEvent(messageId: string, i: number): TrackingEvent {
  return {
    programId: `prog-${i % 50}`,
    checksum: '5f4dcc3b5aa765d61d8327deb882cf99',
    customerId: 1000 + (i % 50),
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    programName: 'Spring sale 2026',
    customerName: 'Acme Outdoor',
    isValid: true,
    messageId,
    timestampMs: 1_795_342_530_000 + i,
  };
}

function makeRecords(prefix: string, count: number): KinesisStreamRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const sequenceNumber = String(49_000_000_000 + i).padStart(56, '0');
    const messageId = `${prefix}${i}`;
    return {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: messageId,
        sequenceNumber,
        data: Buffer.from(encodeTrackingEvent(trackingEvent(messageId, i))).toString('base64'),
        approximateArrivalTimestamp: 1_795_342_530,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/bench',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/bench',
    };
  });
}

async function measureFunction(
  cloud: LocalCloud,
  runtime: LambdaRuntime,
  name: string,
  records: KinesisStreamRecord[],
  batchSize: number,
  prefix: string,
) {
  const started = performance.now();
  for (const batch of chunks(records, batchSize)) {
    const event: KinesisStreamEvent = { Records: batch };
    const result = await runtime.invoke(name, event);
    if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error).slice(0, 500)}`);
    const failures = (result.payload as { batchItemFailures?: unknown[] } | null)?.batchItemFailures?.length ?? 0;
    if (failures > 0) throw new Error(`${name}: ${failures} batch item failures`);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    recordsPerSecond: records.length / seconds,
    allStored: (await countStored(cloud, prefix)) === records.length,
  };
}

async function measureBareLimit(cloud: LocalCloud, records: KinesisStreamRecord[], prefix: string) {
  // Items marshalled up front: only the writes are timed.
  const items = records.map((r) => marshall(toItem(decodeTrackingEvent(Buffer.from(r.kinesis.data, 'base64')))));
  const { seconds, unprocessed } = await bareBatchWrite(cloud.endpoints.dynamodb, tableOf(cloud), items);
  if (unprocessed > 0) throw new Error(`bare limit: ${unprocessed} items unprocessed`);
  return {
    recordsPerSecond: records.length / seconds,
    allStored: (await countStored(cloud, prefix)) === records.length,
  };
}

/**
 * Records/s through decodeTrackingEvent + validateTrackingEvent + toItem, from base64 as Lambda hands
 * it over, on one core: a warm-up pass first (the JIT), then at least 300,000 records measured.
 */
function decodeValidateMapPerSecond(records: KinesisStreamRecord[]): number {
  const pass = () => {
    let valid = 0;
    for (const record of records) {
      const event = decodeTrackingEvent(Buffer.from(record.kinesis.data, 'base64'));
      if (validateTrackingEvent(event).ok && toItem(event).MessageId) valid += 1;
    }
    if (valid !== records.length) throw new Error('domain benchmark: some records did not validate');
  };
  pass();
  const rounds = Math.max(1, Math.ceil(300_000 / records.length));
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) pass();
  return Math.round((records.length * rounds) / ((performance.now() - started) / 1000));
}

function tableOf(cloud: LocalCloud): string {
  const table = cloud.model.resources.find((resource) => resource.logicalId === 'TrackingEvents');
  if (!table) throw new Error('no TrackingEvents table in the template');
  return table.physicalId;
}

async function countStored(cloud: LocalCloud, prefix: string): Promise<number> {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: cloud.endpoints.dynamodb,
    credentials: LOCAL_CREDENTIALS,
  });
  let count = 0;
  for await (const page of paginateScan(
    { client },
    {
      TableName: tableOf(cloud),
      Select: 'COUNT',
      FilterExpression: 'begins_with(MessageId, :p)',
      ExpressionAttributeValues: { ':p': { S: prefix } },
    },
  ))
    count += page.Count ?? 0;
  return count;
}
