import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseActivityEventText } from '../../../src/domain/activity/event.ts';
import { hourPartition } from '../../../src/domain/iot/archive.ts';
import { parseReadingText } from '../../../src/domain/iot/reading.ts';
import { parseCoreDataText } from '../../../src/domain/tracking/core-data.ts';
import {
  decodeTrackingEvent,
  encodeTrackingEvent,
  validateTrackingEvent,
} from '../../../src/domain/tracking/tracking-event.ts';
import { awsConfig, drainQueue, invokeFunction, physicalId } from '../../support/cloud.ts';
import { s3 } from '../../support/files.ts';
import { kinesisEvent } from '../../support/kinesis-event.ts';
import { cloudRedis, programKey } from '../tracking/core-support.ts';

// Fuzzing of the Kinesis consumers (issue 7, hostile input): random bytes, random JSON, and truncated valid
// records mixed into batches of valid ones. Whatever the mix, the function does not crash or report a
// failure, every record the domain accepts is stored exactly once (also when the batch is delivered twice),
// and every record it refuses is in the pipeline's dead-letter queue.

/** A record made for a run's id prefix, so that runs never see each other's items. */
type MadeRecord = (prefix: string) => Uint8Array;

interface ConsumerSpec {
  fn: string;
  stream: string;
  /** Where refused records go; undefined for a consumer that skips them (the archive: the store dead-letters). */
  deadLetterQueue?: string;
  /** The archive keeps every accepted record (duplicates too); tables keep one item per key. */
  keepsDuplicates?: boolean;
  /** A valid record, made for a run's prefix (its ids start with it). */
  valid: fc.Arbitrary<MadeRecord>;
  /** The sink key of a record the domain accepts, or undefined when it refuses it. */
  keyOf(bytes: Uint8Array, now: number): string | undefined;
  /** The sink keys of every item this run stored. */
  stored(prefix: string): Promise<string[]>;
}

const db = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));
const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const json = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value)));

async function queryAll(table: string, keyName: string, keyValue: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: physicalId(table),
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': keyName },
        ExpressionAttributeValues: { ':v': keyValue },
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

const DEVICES = 3;
const sensors: ConsumerSpec = {
  fn: 'storeSensorReadings',
  stream: 'SensorEventStream',
  deadLetterQueue: 'IotDeadLetterQueue',
  valid: fc
    .record({
      device: fc.integer({ min: 0, max: DEVICES - 1 }),
      ageMs: fc.integer({ min: 0, max: 3_600_000 }),
      humidity: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
      temperature: fc.double({ min: -80, max: 100, noNaN: true }),
    })
    .map(
      ({ device, ageMs, humidity, temperature }) =>
        (prefix: string) =>
          json({ sensorId: `${prefix}-${device}`, timestamp: Date.now() - ageMs, humidity, temperature }),
    ),
  keyOf: (bytes, now) => readingKey(bytes, now),
  stored: async (prefix) =>
    (await Promise.all(Array.from({ length: DEVICES }, (_, d) => queryAll('SensorData', 'SensorId', `${prefix}-${d}`))))
      .flat()
      .map((item) => `${String(item.SensorId)} ${String(item.Timestamp)}`),
};

const activity: ConsumerSpec = {
  fn: 'processActivityEvents',
  stream: 'ActivityStream',
  deadLetterQueue: 'ActivityDeadLetterQueue',
  valid: fc
    .record({
      user: fc.integer({ min: 0, max: 2 }),
      id: fc.stringMatching(/^[a-z0-9-]{1,24}$/),
      ageS: fc.integer({ min: 0, max: 86_400 }),
      message: fc.string({ maxLength: 200 }),
      seconds: fc.boolean(),
    })
    .map(
      ({ user, id, ageS, message, seconds }) =>
        (prefix: string) =>
          json({
            username: `${prefix}-${user}`,
            id,
            message,
            timestamp: seconds
              ? Math.floor(Date.now() / 1000) - ageS
              : new Date(Date.now() - ageS * 1000).toISOString(),
          }),
    ),
  keyOf: (bytes, now) => {
    const parsed = parseActivityEventText(utf8(bytes), now);
    return parsed.ok ? `${parsed.value.username} ${parsed.value.id}` : undefined;
  },
  stored: async (prefix) =>
    (await Promise.all([0, 1, 2].map((user) => queryAll('EventData', 'Username', `${prefix}-${user}`))))
      .flat()
      .map((item) => `${String(item.Username)} ${String(item.Id)}`),
};

const tracking: ConsumerSpec = {
  fn: 'persistTrackingEvents',
  stream: 'TrackingEventStream',
  deadLetterQueue: 'TrackingDeadLetterQueue',
  valid: fc.record({ n: fc.nat(), agent: fc.string({ maxLength: 100 }), id: fc.uuid() }).map(
    ({ n, agent, id }) =>
      (prefix: string) =>
        encodeTrackingEvent({
          programId: 'fuzz-program',
          checksum: 'c0ffee',
          customerId: 7,
          userAgent: agent,
          programName: 'Fuzz',
          customerName: 'Fuzz Co',
          isValid: true,
          messageId: `${prefix}-${n}-${id}`,
          timestampMs: Date.now(),
        }),
  ),
  keyOf: (bytes) => {
    try {
      const event = decodeTrackingEvent(bytes);
      return validateTrackingEvent(event).ok ? event.messageId : undefined;
    } catch {
      return undefined;
    }
  },
  stored: async (prefix) => {
    const ids: string[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({
          TableName: physicalId('TrackingEvents'),
          FilterExpression: 'begins_with(MessageId, :p)',
          ExpressionAttributeValues: { ':p': `${prefix}-` },
          ExclusiveStartKey,
          ConsistentRead: true,
        }),
      );
      ids.push(...(page.Items ?? []).map((item) => String(item.MessageId)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return ids;
  },
};

const readingKey = (bytes: Uint8Array, now: number) => {
  const parsed = parseReadingText(utf8(bytes), now);
  return parsed.ok ? `${parsed.value.sensorId} ${parsed.value.timestampMs}` : undefined;
};

/** The readings of this run in the archive objects of the current and the previous hour (their partitions). */
async function archivedKeys(prefix: string): Promise<string[]> {
  const bucket = physicalId('ArchiveBucket');
  const keys: string[] = [];
  for (const partition of new Set([hourPartition(Date.now() - 3_600_000), hourPartition(Date.now())])) {
    let ContinuationToken: string | undefined;
    do {
      const listed = await s3().send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: `${partition}/`, ContinuationToken }),
      );
      for (const { Key } of listed.Contents ?? []) {
        const body = Buffer.from(
          await (await s3().send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToByteArray(),
        );
        const text = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body).toString('utf8') : body.toString('utf8');
        for (const line of text.split('\n').filter(Boolean)) {
          const reading = JSON.parse(line) as { sensorId: string; timestamp: string };
          if (reading.sensorId.startsWith(`${prefix}-`))
            keys.push(`${reading.sensorId} ${Date.parse(reading.timestamp)}`);
        }
      }
      ContinuationToken = listed.NextContinuationToken;
    } while (ContinuationToken);
  }
  return keys;
}

// The archive gets the same records as the store: valid readings archived (each record once, per its
// object), junk skipped (storeSensorReadings dead-letters it), and a replayed batch overwrites its objects.
const archive: ConsumerSpec = {
  fn: 'archiveSensorReadings',
  stream: 'SensorEventStream',
  keepsDuplicates: true,
  valid: fc
    .record({
      device: fc.integer({ min: 0, max: DEVICES - 1 }),
      ageMs: fc.integer({ min: 0, max: 600_000 }),
      humidity: fc.double({ min: 0, max: 100, noNaN: true }),
    })
    .map(
      ({ device, ageMs, humidity }) =>
        (prefix: string) =>
          json({ sensorId: `${prefix}-${device}`, timestamp: Date.now() - ageMs, humidity }),
    ),
  keyOf: readingKey,
  stored: archivedKeys,
};

let redis: Awaited<ReturnType<typeof cloudRedis>> | undefined;
const coreData: ConsumerSpec = {
  fn: 'updateCoreData',
  stream: 'CoreDataStream',
  deadLetterQueue: 'TrackingDeadLetterQueue',
  valid: fc
    .record({
      n: fc.integer({ min: 0, max: 5 }),
      name: fc.string({ minLength: 1, maxLength: 60 }),
      valid: fc.boolean(),
      version: fc.integer({ min: 1, max: 1000 }),
    })
    .map(
      ({ n, name, valid, version }) =>
        (prefix: string) =>
          json({
            programId: `${prefix}-${n}`,
            programName: name,
            checksum: 'c0ffee',
            customerId: n + 1,
            customerName: 'Fuzz Co',
            valid,
            version,
          }),
    ),
  keyOf: (bytes) => {
    const parsed = parseCoreDataText(utf8(bytes));
    return parsed.ok ? parsed.value.programId : undefined;
  },
  stored: async (prefix) => {
    redis ??= await cloudRedis();
    const found: string[] = [];
    for (let n = 0; n <= 5; n += 1) if (await redis.exists(programKey(`${prefix}-${n}`))) found.push(`${prefix}-${n}`);
    return found;
  },
};

/** Junk: random bytes, random JSON, random text, and valid records cut short. */
const junk = (valid: fc.Arbitrary<MadeRecord>): fc.Arbitrary<MadeRecord> =>
  fc.oneof(
    fc.uint8Array({ minLength: 0, maxLength: 300 }).map((bytes) => () => bytes),
    fc.jsonValue({ maxDepth: 3 }).map((value) => () => json(value ?? null)),
    fc.string({ maxLength: 200 }).map((text) => () => new Uint8Array(Buffer.from(text))),
    fc
      .tuple(valid, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }))
      .map(([record, fraction]) => (prefix: string) => {
        const bytes = record(prefix);
        return bytes.slice(0, Math.floor(bytes.length * fraction));
      }),
  );

describe.each([sensors, archive, activity, tracking, coreData])(
  'fuzzing $fn with junk mixed into valid batches',
  (spec) => {
    it('stores every record the domain accepts exactly once, dead-letters every other one, and never fails', async () => {
      const records = fc.array(
        fc.oneof({ weight: 3, arbitrary: spec.valid }, { weight: 2, arbitrary: junk(spec.valid) }),
        { minLength: 1, maxLength: 60 },
      );
      await fc.assert(
        fc.asyncProperty(records, async (made) => {
          const prefix = `fz-${randomUUID().slice(0, 8)}`;
          const payloads = made.map((record) => record(prefix));
          const now = Date.now();
          const event = kinesisEvent(spec.stream, payloads);
          for (let delivery = 0; delivery < 2; delivery += 1) {
            // the second delivery is a replay of the same batch
            const result = await invokeFunction(spec.fn, event);
            expect(result).toMatchObject({ ok: true, payload: { batchItemFailures: [] } });
          }
          const keys = payloads.map((bytes) => spec.keyOf(bytes, now));
          const accepted = keys.filter((key): key is string => key !== undefined);
          const expected = (spec.keepsDuplicates ? accepted : [...new Set(accepted)]).sort();
          expect((await spec.stored(prefix)).sort()).toEqual(expected);
          if (!spec.deadLetterQueue) return;
          const refused = new Set(
            event.Records.filter((_, i) => keys[i] === undefined).map((record) => record.kinesis.sequenceNumber),
          );
          const letters = (await drainQueue(spec.deadLetterQueue)) as Array<{ sequenceNumber?: string }>;
          const ours = letters
            .map((letter) => letter.sequenceNumber)
            .filter(
              (sequence) => sequence !== undefined && event.Records.some((r) => r.kinesis.sequenceNumber === sequence),
            );
          // Each refused record is dead-lettered once per delivery, and nothing accepted is.
          expect(new Set(ours)).toEqual(refused);
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 8), endOnFailure: true },
      );
    }, 600_000);
  },
);

afterAll(async () => {
  await redis?.close();
  db.destroy();
});
