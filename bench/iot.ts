import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { startLocalCloud, LOCAL_CREDENTIALS } from '@refarch/local-cloud';
import { stage, type Stage } from '../scripts/lib/progress.ts';
import { keepAliveHandler } from '../src/adapters/http-handler.ts';
import { putRecords } from '../src/adapters/kinesis.ts';
import { parseReading, readingItem } from '../src/domain/iot/reading.ts';
import { bareBatchWrite } from './bare-batch-write.ts';
import { startDynamoDbCounter } from './dynamodb-counter.ts';

/**
 * Sensor readings through SensorEventStream -> storeSensorReadings -> SensorData on the local cloud,
 * for ours (BatchWriteItem, 25 per request, concurrent) and, in the same run, a baseline writing one
 * item per request. Reports readings/s end to end (first put -> every reading stored) and DynamoDB
 * requests per 1,000 readings, counted by a proxy in front of DynamoDB Local. The bare limit: the same
 * items written straight into SensorData with BatchWriteItem x25, 8 at a time (no stream, no Lambda).
 */
export async function run(args: string[], progress: Stage = stage()): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { readings: { type: 'string', default: '10000' }, devices: { type: 'string', default: '50' } },
  });
  const readings = plan(Number(values.readings), Number(values.devices));
  const rows = [];
  for (const variant of [
    { name: 'storeSensorReadings (BatchWriteItem x25, concurrent)', override: undefined },
    {
      name: 'baseline: one PutItem per reading',
      override: join(import.meta.dirname, 'baseline', 'store-sensor-readings-per-record.ts'),
    },
  ])
    rows.push({
      variant: variant.name,
      ...(await measure(
        readings,
        variant.override,
        (text, total) => progress.set(`${variant.name}: ${text}`, total),
        progress,
      )),
    });
  progress.set('bare limit: raw BatchWriteItem x25, 8 concurrent');
  rows.push({ variant: 'bare limit: raw BatchWriteItem x25, 8 concurrent', ...(await measureBareLimit(readings)) });
  console.log(`\niot: ${readings.length} readings from ${values.devices} devices put on SensorEventStream at once\n`);
  console.table(rows);
}

function plan(count: number, devices: number) {
  const start = Date.now() - 60 * 60_000;
  return Array.from({ length: count }, (_, i) => ({
    sensorId: `bench-device-${i % devices}`,
    timestamp: new Date(start + Math.floor(i / devices) * 100).toISOString(),
    humidity: 40 + (i % 20),
    temperature: 20 + (i % 7),
    seq: Math.floor(i / devices),
  }));
}

async function measure(
  readings: ReturnType<typeof plan>,
  override: string | undefined,
  step: (text: string, total?: number) => void,
  progress: Stage,
) {
  const serviceDir = resolve(import.meta.dirname, '..');
  step('starting a local cloud');
  const counter = await startDynamoDbCounter();
  const cloud = await startLocalCloud({
    serviceDir,
    stage: 'bench',
    stateDir: join(serviceDir, '.local', 'bench'),
    onLog: () => {},
    handlerOverrides: override ? { storeSensorReadings: override } : {},
    functionEnvironment: (endpoints) => {
      counter.setTarget(endpoints.dynamodb);
      return { AWS_ENDPOINT_URL_DYNAMODB: counter.endpoint };
    },
  });
  try {
    const kinesis = new KinesisClient({
      region: 'us-east-1',
      endpoint: cloud.endpoints.kinesis,
      credentials: LOCAL_CREDENTIALS,
      requestHandler: keepAliveHandler(),
    });
    const table = `${cloud.model.stackName}-SensorData`;
    const stream = `${cloud.model.stackName}-SensorEventStream`;
    const started = performance.now();
    step('putting readings on the stream', readings.length);
    for (let i = 0; i < readings.length; i += 500) {
      await putRecords(
        stream,
        readings.slice(i, i + 500).map((r) => ({ PartitionKey: r.sensorId, Data: Buffer.from(JSON.stringify(r)) })),
        kinesis,
      );
      progress.done(Math.min(readings.length, i + 500));
    }
    step('waiting until every reading is stored', readings.length);
    const storedMs = await waitUntilStored(cloud.endpoints.dynamodb, table, readings, started, (stored) =>
      progress.done(stored),
    );
    const requests = [...counter.counts]
      .filter(([key]) => key.includes(table) && /^(BatchWriteItem|PutItem) /.test(key))
      .reduce((sum, [, n]) => sum + n, 0);
    kinesis.destroy();
    return {
      'readings/s end to end': Math.round(readings.length / (storedMs / 1000)),
      'SensorData write requests / 1,000 readings': Math.round((requests / readings.length) * 1000 * 10) / 10,
      'all stored': Number.isFinite(storedMs),
    };
  } finally {
    await cloud.stop();
    await counter.stop();
  }
}

/** Polls item counts per device until every reading is stored; the time from the first put. */
async function waitUntilStored(
  endpoint: string,
  table: string,
  readings: ReturnType<typeof plan>,
  started: number,
  onStored: (stored: number) => void,
): Promise<number> {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS }),
  );
  const devices = [...new Set(readings.map((r) => r.sensorId))];
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    let stored = 0;
    for (const sensorId of devices) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'SensorId = :id',
            ExpressionAttributeValues: { ':id': sensorId },
            Select: 'COUNT',
            ExclusiveStartKey,
          }),
        );
        stored += page.Count ?? 0;
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
    onStored(stored);
    if (stored >= readings.length) return performance.now() - started;
    await sleep(250);
  }
  return Number.POSITIVE_INFINITY;
}

async function measureBareLimit(readings: ReturnType<typeof plan>) {
  const serviceDir = resolve(import.meta.dirname, '..');
  const cloud = await startLocalCloud({
    serviceDir,
    stage: 'bench',
    stateDir: join(serviceDir, '.local', 'bench'),
    onLog: () => {},
  });
  try {
    const now = Date.now();
    const items = readings.map((reading) => {
      const parsed = parseReading({ ...reading, sensorId: `bare-${reading.sensorId}` }, now);
      if (!parsed.ok) throw new Error(parsed.reason);
      return marshall(readingItem(parsed.value));
    });
    const { seconds, requests, unprocessed } = await bareBatchWrite(
      cloud.endpoints.dynamodb,
      `${cloud.model.stackName}-SensorData`,
      items,
    );
    return {
      'readings/s end to end': Math.round(readings.length / seconds),
      'SensorData write requests / 1,000 readings': Math.round((requests / readings.length) * 1000 * 10) / 10,
      'all stored': unprocessed === 0,
    };
  } finally {
    await cloud.stop();
  }
}
