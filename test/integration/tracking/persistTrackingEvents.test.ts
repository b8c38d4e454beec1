import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putAll } from '../../../src/adapters/batch-writer.ts';
import { decodeTrackingEvent, encodeTrackingEvent, toItem } from '../../../src/domain/tracking/tracking-event.ts';
import { tracking } from '../../../src/proto/generated/tracking.js';
import type { TrackingEvent } from '../../../src/domain/tracking/tracking-event.ts';
import { awsConfig, drainQueue, invokeFunction, localCloud, physicalId } from '../../support/cloud.ts';
import { lambdaContext, startUnprocessedProxy, type UnprocessedProxy } from '../../support/unprocessed-proxy.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));
let sequence = 49_000_000_000_000n;

function trackingEvent(messageId: string, overrides: Partial<TrackingEvent> = {}): TrackingEvent {
  return {
    programId: 'prog-it',
    checksum: 'c0ffee',
    customerId: 42,
    userAgent: 'integration-test',
    programName: 'Integration Hour',
    customerName: 'Test Customer',
    isValid: true,
    messageId,
    timestampMs: 1_795_342_530_000,
    ...overrides,
  };
}

/** A Kinesis record as Lambda delivers it from TrackingEventStream. */
function kinesisRecord(data: Uint8Array, partitionKey: string): KinesisStreamRecord {
  sequence += 1n;
  const sequenceNumber = `${sequence}`.padStart(56, '0');
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey,
      sequenceNumber,
      data: Buffer.from(data).toString('base64'),
      approximateArrivalTimestamp: Date.now() / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000003:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/persistTrackingEvents',
    awsRegion: 'us-east-1',
    eventSourceARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${physicalId('TrackingEventStream')}`,
  };
}

const recordOf = (event: TrackingEvent) => kinesisRecord(encodeTrackingEvent(event), event.messageId);

/** Items of TrackingEvents whose MessageId starts with prefix (each run uses its own prefix). */
async function storedItems(prefix: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  const pages = paginateScan(
    { client: documents() },
    {
      TableName: physicalId('TrackingEvents'),
      FilterExpression: 'begins_with(MessageId, :prefix)',
      ExpressionAttributeValues: { ':prefix': prefix },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}

describe('persistTrackingEvents (invoked with Kinesis events on the local cloud)', () => {
  it('stores 499 events of a 500-record batch once, dead-letters the poison record, and a replay changes nothing', async () => {
    await drainQueue('TrackingDeadLetterQueue');
    const prefix = `it-${randomUUID()}-`;
    const records = Array.from({ length: 499 }, (_, i) => recordOf(trackingEvent(`${prefix}${i}`)));
    const poison = kinesisRecord(Uint8Array.from([0x42, 0x7f, 0x01, 0x02]), `${prefix}poison`);
    records.splice(250, 0, poison);
    const event: KinesisStreamEvent = { Records: records };

    for (let delivery = 1; delivery <= 2; delivery += 1) {
      expect(await invokeFunction('persistTrackingEvents', event)).toMatchObject({
        ok: true,
        payload: { batchItemFailures: [] },
      });
      const stored = await storedItems(prefix);
      expect(stored).toHaveLength(499);
      expect(new Set(stored.map((item) => item.MessageId)).size).toBe(499);
      const dead = ((await drainQueue('TrackingDeadLetterQueue')) as Array<Record<string, unknown>>).filter(
        (letter) => letter.sequenceNumber === poison.kinesis.sequenceNumber,
      );
      expect(dead).toEqual([
        expect.objectContaining({
          reason: expect.stringMatching(/^undecodable record/),
          shardId: 'shardId-000000000003',
          eventID: poison.eventID,
          record: expect.objectContaining({ kinesis: expect.objectContaining({ data: poison.kinesis.data }) }),
        }),
      ]);
    }
  });

  it('stores an event of an older producer (fields 1-8, no timestamp_ms) at the time Kinesis received it', async () => {
    const messageId = `legacy-${randomUUID()}`;
    // As the reference tracker writes it: the eight original fields only.
    const bytes = tracking.TrackingEvent.encode({
      programid: 'prog-legacy',
      checksum: 'c0ffee',
      customerId: 7,
      userAgent: 'Mozilla/5.0',
      programName: 'Legacy',
      customerName: 'Old Customer',
      isValid: true,
      messageId,
    }).finish();
    expect(decodeTrackingEvent(bytes).timestampMs).toBe(0);
    const record = kinesisRecord(bytes, messageId);
    record.kinesis.approximateArrivalTimestamp = 1_795_342_531.25;
    const result = await invokeFunction('persistTrackingEvents', { Records: [record] } satisfies KinesisStreamEvent);
    expect(result).toMatchObject({ ok: true, payload: { batchItemFailures: [] } });
    expect(await storedItems(messageId)).toEqual([
      expect.objectContaining({ MessageId: messageId, ProgramId: 'prog-legacy', TimestampMs: 1_795_342_531_250 }),
    ]);
  });

  it('stores the last of several records with one message id in a batch (BatchWriteItem refuses duplicate keys)', async () => {
    const prefix = `dup-${randomUUID()}-`;
    const records = [
      ...Array.from({ length: 60 }, (_, i) => recordOf(trackingEvent(`${prefix}${i}`, { userAgent: 'first' }))),
      ...Array.from({ length: 10 }, (_, i) =>
        recordOf(trackingEvent(`${prefix}${i * 5}`, { userAgent: 'redelivered' })),
      ),
    ];
    expect(await invokeFunction('persistTrackingEvents', { Records: records })).toMatchObject({
      ok: true,
      payload: { batchItemFailures: [] },
    });
    const stored = await storedItems(prefix);
    expect(stored).toHaveLength(60);
    expect(
      stored
        .filter((item) => item.UserAgent === 'redelivered')
        .map((item) => item.MessageId)
        .sort(),
    ).toEqual(Array.from({ length: 10 }, (_, i) => `${prefix}${i * 5}`).sort());
  });
});

describe('UnprocessedItems (DynamoDB Local behind a proxy that holds back part of each BatchWriteItem)', () => {
  let proxy: UnprocessedProxy;
  beforeAll(async () => {
    proxy = await startUnprocessedProxy(localCloud().endpoints.dynamodb);
  });
  afterAll(async () => {
    await proxy.stop();
  });

  it('retries the unprocessed items until every one is written', async () => {
    const prefix = `unp-${randomUUID()}-`;
    let heldBackRequests = 0;
    proxy.holdBack = (item) => {
      // Hold back half of the items of the first 5 requests, as a throttled table would.
      return heldBackRequests < 5 && Number(String(item.MessageId).slice(prefix.length)) % 2 === 0;
    };
    proxy.onRequest = (held) => {
      if (held > 0) heldBackRequests += 1;
    };
    const items = Array.from({ length: 120 }, (_, i) => toItem(trackingEvent(`${prefix}${i}`)));
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...awsConfig('dynamodb'), endpoint: proxy.endpoint }),
    );

    const leftovers = await putAll(physicalId('TrackingEvents'), items, { client, backoff: () => 10 });

    expect(leftovers).toEqual([]);
    expect(heldBackRequests).toBe(5);
    expect(await storedItems(prefix)).toHaveLength(120);
  });

  it('gives back what stays unprocessed, and the handler reports exactly those records as batch item failures', async () => {
    const prefix = `stuck-${randomUUID()}-`;
    proxy.holdBack = (item) => String(item.MessageId).endsWith('-stuck');
    proxy.onRequest = () => {};
    const events = Array.from({ length: 40 }, (_, i) => trackingEvent(`${prefix}${i}${i % 13 === 0 ? '-stuck' : ''}`));
    const records = events.map(recordOf);
    const handler = await handlerAgainst(proxy.endpoint);

    const response = await handler({ Records: records }, lambdaContext('persistTrackingEvents'));

    const stuck = records.filter((record) => record.kinesis.partitionKey.endsWith('-stuck'));
    expect(stuck).toHaveLength(4);
    expect(response).toEqual({
      batchItemFailures: stuck.map((record) => ({ itemIdentifier: record.kinesis.sequenceNumber })),
    });
    const stored = await documents().send(
      new BatchGetCommand({
        RequestItems: { [physicalId('TrackingEvents')]: { Keys: events.map((e) => ({ MessageId: e.messageId })) } },
      }),
    );
    expect(stored.Responses?.[physicalId('TrackingEvents')]).toHaveLength(36);
  });
});

/** The real handler module, in this process, with the function's environment but DynamoDB behind the proxy. */
async function handlerAgainst(dynamoDbEndpoint: string) {
  Object.assign(process.env, localCloud().functions.persistTrackingEvents!.environment, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDbEndpoint,
  });
  const { handler } = await import('../../../src/functions/tracking/persistTrackingEvents.ts');
  return handler;
}
