import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { startLocalCloud, LOCAL_CREDENTIALS, type LocalCloud } from '@refarch/local-cloud';
import { stage, type Stage } from '../scripts/lib/progress.ts';
import { decodeTrackingEvent, encodeTrackingEvent, toItem, validateTrackingEvent } from '../src/domain/tracking/tracking-event.ts';
import type { TrackingEvent } from '../src/domain/tracking/tracking-event.ts';
import { chunks } from '../src/domain/tracking/write-batches.ts';
import { bareBatchWrite } from './bare-batch-write.ts';

/**
 * TrackingEventStream batches -> TrackingEvents on the local cloud: persistTrackingEvents records/s
 * (500-record Kinesis events invoked through the local Lambda runtime, one shard = one invocation at
 * a time, after one warm-up invocation), side by side with a baseline handler doing one PutItem per record, and the bare limit:
 * raw BatchWriteItem of the same items into the same table (25 per request, 8 in flight), no
 * decoding. Plus decode + validate + map records/s on one core, in the domain alone.
 */
export async function run(args: string[], progress: Stage = stage()): Promise<void> {
  const { values } = parseArgs({ args, options: { records: { type: 'string', default: '10000' }, batch: { type: 'string', default: '500' } } });
  const count = Number(values.records);
  const batchSize = Number(values.batch);
  const rows: Record<string, Record<string, number | string | boolean>> = {};
  progress.set('domain alone: decode + validate + map');
  const domainRate = decodeValidateMapPerSecond(makeRecords('domain', count));

  for (const variant of [
    { name: 'persistTrackingEvents (BatchWriteItem x25, 8 in flight)', override: undefined },
    { name: 'baseline: one PutItem per record, sequential', override: join(import.meta.dirname, 'baseline', 'persist-tracking-per-record.ts') },
  ]) {
    progress.set(`${variant.name}: starting a local cloud`);
    await withCloud(variant.override, async (cloud) => {
      const prefix = variant.override ? 'baseline-' : 'ours-';
      progress.set(`${variant.name}: records invoked`, count);
      rows[variant.name] = await measureFunction(cloud, makeRecords(prefix, count), batchSize, prefix, (done) => progress.done(done));
      if (!variant.override) {
        progress.set('bare limit: raw BatchWriteItem, no decoding');
        rows['bare limit: raw BatchWriteItem, no decoding'] = await measureBareLimit(cloud, makeRecords('bare-', count));
      }
    });
  }
  console.log(`\ntracking persist: ${count} records, Kinesis batches of ${batchSize}, one invocation at a time (one shard)\n`);
  console.table(rows);
  console.log(`domain alone: decode + validate + map ${domainRate} records/s on one core`);
}

async function withCloud(override: string | undefined, body: (cloud: LocalCloud) => Promise<void>): Promise<void> {
  const serviceDir = resolve(import.meta.dirname, '..');
  const cloud = await startLocalCloud({
    serviceDir, stage: 'bench', stateDir: join(serviceDir, '.local', 'bench'), onLog: () => {},
    handlerOverrides: override ? { persistTrackingEvents: override } : {},
  });
  try {
    await body(cloud);
  } finally {
    await cloud.stop();
  }
}

function trackingEvent(messageId: string, i: number): TrackingEvent {
  return {
    programId: `prog-${i % 50}`, checksum: '5f4dcc3b5aa765d61d8327deb882cf99', customerId: 1000 + (i % 50),
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    programName: 'Spring sale 2026', customerName: 'Acme Outdoor', isValid: true, messageId, timestampMs: 1_795_342_530_000 + i,
  };
}

function makeRecords(prefix: string, count: number): KinesisStreamRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const sequenceNumber = String(49_000_000_000 + i).padStart(56, '0');
    const messageId = `${prefix}${i}`;
    return {
      kinesis: { kinesisSchemaVersion: '1.0', partitionKey: messageId, sequenceNumber, data: Buffer.from(encodeTrackingEvent(trackingEvent(messageId, i))).toString('base64'), approximateArrivalTimestamp: 1_795_342_530 },
      eventSource: 'aws:kinesis', eventVersion: '1.0', eventID: `shardId-000000000000:${sequenceNumber}`, eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/bench', awsRegion: 'us-east-1', eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/bench',
    };
  });
}

async function measureFunction(cloud: LocalCloud, records: KinesisStreamRecord[], batchSize: number, prefix: string, onInvoked: (records: number) => void) {
  // A stream consumer runs warm: the cold start (sandbox, module load, first connections) is not timed.
  await cloud.runtime.invoke('persistTrackingEvents', { Records: makeRecords(`warm-${prefix}`, batchSize) });
  const started = performance.now();
  let [failures, invoked] = [0, 0];
  for (const batch of chunks(records, batchSize)) {
    const event: KinesisStreamEvent = { Records: batch };
    const result = await cloud.runtime.invoke('persistTrackingEvents', event);
    if (!result.ok) throw new Error(`persistTrackingEvents failed: ${JSON.stringify(result.error).slice(0, 500)}`);
    failures += (result.payload as { batchItemFailures?: unknown[] } | null)?.batchItemFailures?.length ?? 0;
    onInvoked(invoked += batch.length);
  }
  const seconds = (performance.now() - started) / 1000;
  const stored = await countStored(cloud, prefix);
  return { 'records/s': Math.round(records.length / seconds), 'batch item failures': failures, 'all stored': stored === records.length };
}

async function measureBareLimit(cloud: LocalCloud, records: KinesisStreamRecord[]) {
  // Items marshalled up front: only the writes are timed.
  const items = records.map((r) => marshall(toItem(decodeTrackingEvent(Buffer.from(r.kinesis.data, 'base64')))));
  const { seconds, unprocessed } = await bareBatchWrite(cloud.endpoints.dynamodb, tableOf(cloud), items);
  const stored = await countStored(cloud, 'bare-');
  return { 'records/s': Math.round(records.length / seconds), 'batch item failures': unprocessed, 'all stored': stored === records.length };
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
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: cloud.endpoints.dynamodb, credentials: LOCAL_CREDENTIALS });
  let count = 0;
  for await (const page of paginateScan({ client }, {
    TableName: tableOf(cloud), Select: 'COUNT', FilterExpression: 'begins_with(MessageId, :p)', ExpressionAttributeValues: { ':p': { S: prefix } },
  })) count += page.Count ?? 0;
  return count;
}
