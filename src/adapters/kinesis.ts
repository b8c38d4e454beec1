import { setTimeout as sleep } from 'node:timers/promises';
import { KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { backoffMs } from './dynamodb.ts';
import { keepAliveHandler } from './http-handler.ts';
import { traced } from './tracing.ts';

let client: KinesisClient | undefined;

/** The one Kinesis client of this process, created on first use (endpoint from AWS_ENDPOINT_URL_KINESIS). */
export function kinesis(): KinesisClient {
  client ??= traced(new KinesisClient({ requestHandler: keepAliveHandler() }));
  return client;
}

/** Puts one record; resolves once Kinesis has accepted it (the SDK retries throttling itself). */
export async function putRecord(
  streamName: string,
  data: Uint8Array,
  partitionKey: string,
  target: KinesisClient = kinesis(),
): Promise<{ shardId: string; sequenceNumber: string }> {
  const output = await target.send(
    new PutRecordCommand({ StreamName: streamName, Data: data, PartitionKey: partitionKey }),
  );
  return { shardId: output.ShardId ?? '', sequenceNumber: output.SequenceNumber ?? '' };
}

const PUT_RECORDS_LIMIT = 500;
const MAX_ROUNDS = 8;

/**
 * Like putRecords, but never throws for rejected entries or failed calls: retries them within the
 * budget and answers, per entry, whether Kinesis accepted it (for callers that must account for each).
 */
export async function putRecordsSettled(
  streamName: string,
  entries: readonly PutRecordsRequestEntry[],
  target: KinesisClient = kinesis(),
): Promise<boolean[]> {
  const accepted = entries.map(() => false);
  for (let start = 0; start < entries.length; start += PUT_RECORDS_LIMIT) {
    let pending = entries
      .slice(start, start + PUT_RECORDS_LIMIT)
      .map((entry, offset) => ({ entry, index: start + offset }));
    for (let round = 0; pending.length > 0 && round < MAX_ROUNDS; round += 1) {
      if (round > 0) await sleep(backoffMs(round));
      const output = await target
        .send(new PutRecordsCommand({ StreamName: streamName, Records: pending.map(({ entry }) => entry) }))
        .catch(() => undefined);
      if (!output) continue;
      const results = output.Records ?? [];
      for (const [position, { index }] of pending.entries())
        if (results[position] && results[position].ErrorCode === undefined) accepted[index] = true;
      pending = pending.filter(({ index }) => !accepted[index]);
    }
  }
  return accepted;
}

/**
 * Puts records in PutRecords requests of up to 500, retrying the entries Kinesis rejected (throttling)
 * with backoff; throws if some are still rejected after the retry budget. Entries of one partition
 * key keep their order only if no earlier one of them was rejected, as with any PutRecords.
 */
export async function putRecords(
  streamName: string,
  entries: readonly PutRecordsRequestEntry[],
  target: KinesisClient = kinesis(),
): Promise<void> {
  for (let start = 0; start < entries.length; start += PUT_RECORDS_LIMIT) {
    let pending = entries.slice(start, start + PUT_RECORDS_LIMIT);
    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= MAX_ROUNDS) throw new Error(`PutRecords on ${streamName}: ${pending.length} records still rejected`);
      if (round > 0) await sleep(backoffMs(round));
      const output = await target.send(new PutRecordsCommand({ StreamName: streamName, Records: pending }));
      const results = output.Records ?? [];
      pending = pending.filter((_entry, index) => results[index]?.ErrorCode !== undefined);
    }
  }
}
