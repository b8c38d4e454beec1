import { CreateTableCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDb, type RunningService } from '@refarch/local-cloud';
import {
  clientsFor,
  eventually,
  startConsumer,
  uniqueName,
  type Clients,
  type Consumer,
} from '../../fixtures/semantics/harness.ts';

// DynamoDB Streams delivery through the same engine, against the real DynamoDB Local.
let dynamoService: RunningService;
let clients: Clients;
let consumer: Consumer | undefined;

beforeAll(async () => {
  dynamoService = await startDynamoDb();
  clients = clientsFor({ dynamodb: dynamoService.endpoint });
});
afterAll(async () => {
  await dynamoService?.stop();
});
afterEach(async () => {
  await consumer?.stop();
  consumer = undefined;
});

const dynamodb = () => clients.dynamodb!;

async function tableWithStream(label: string): Promise<{ name: string; streamArn: string }> {
  const name = uniqueName(label);
  const { TableDescription } = await dynamodb().send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return { name, streamArn: TableDescription!.LatestStreamArn! };
}

const put = (table: string, id: string, extra: Record<string, { S: string } | { N: string }> = {}) =>
  dynamodb().send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, ...extra } }));

describe('DynamoDB stream event source mapping', () => {
  it('delivers INSERT, MODIFY and REMOVE records in order, in the shape Lambda gives them', async () => {
    const { name, streamArn } = await tableWithStream('changes');
    consumer = startConsumer({
      clients,
      mapping: { kind: 'dynamodb', sourceArn: streamArn },
      environment: { KEEP_RECORDS: '1' },
    });
    await put(name, 'voter-1', { candidate: { S: 'RED' }, version: { N: '1' } });
    await dynamodb().send(
      new UpdateItemCommand({
        TableName: name,
        Key: { id: { S: 'voter-1' } },
        UpdateExpression: 'SET candidate = :c, version = :v',
        ExpressionAttributeValues: { ':c': { S: 'BLUE' }, ':v': { N: '2' } },
      }),
    );
    await dynamodb().send(new DeleteItemCommand({ TableName: name, Key: { id: { S: 'voter-1' } } }));
    const records = await eventually(() => {
      const delivered = consumer!
        .log()
        .flatMap((entry) => (entry.type === 'batch' ? (entry.records ?? []) : [])) as Array<Record<string, unknown>>;
      expect(delivered).toHaveLength(3);
      return delivered;
    });
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const common = {
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: 'us-east-1',
      eventSourceARN: streamArn,
      eventID: expect.any(String),
    };
    const change = {
      ApproximateCreationDateTime: expect.any(Number),
      SequenceNumber: expect.any(String),
      SizeBytes: expect.any(Number),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    };
    const image = (candidate: string, version: string) => ({
      id: { S: 'voter-1' },
      candidate: { S: candidate },
      version: { N: version },
    });
    expect(records[0]).toEqual({
      ...common,
      eventName: 'INSERT',
      dynamodb: { ...change, Keys: { id: { S: 'voter-1' } }, NewImage: image('RED', '1') },
    });
    expect(records[1]).toEqual({
      ...common,
      eventName: 'MODIFY',
      dynamodb: {
        ...change,
        Keys: { id: { S: 'voter-1' } },
        NewImage: image('BLUE', '2'),
        OldImage: image('RED', '1'),
      },
    });
    expect(records[2]).toEqual({
      ...common,
      eventName: 'REMOVE',
      dynamodb: { ...change, Keys: { id: { S: 'voter-1' } }, OldImage: image('BLUE', '2') },
    });
    const sequence = records.map((record) => BigInt((record.dynamodb as { SequenceNumber: string }).SequenceNumber));
    expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : 1)));
    const created = (records[0]!.dynamodb as { ApproximateCreationDateTime: number }).ApproximateCreationDateTime;
    expect(Math.abs(created - Date.now() / 1000)).toBeLessThan(600); // seconds, not milliseconds
  });

  it('isolates a poison item: it goes to the DLQ with its stream position, the others are processed once', async () => {
    const { name, streamArn } = await tableWithStream('poison');
    for (let i = 0; i < 10; i += 1) await put(name, `item-${i}`, i === 4 ? { mark: { S: 'poison' } } : {});
    consumer = startConsumer({
      clients,
      mapping: { kind: 'dynamodb', sourceArn: streamArn, bisectBatchOnFunctionError: true, maximumRetryAttempts: 1 },
    });
    await eventually(() => expect(consumer!.dlq).toHaveLength(1));
    expect(consumer.dlq[0]).toMatchObject({
      requestContext: {
        condition: 'RetryAttemptsExhausted',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:refarch-test-consumer',
      },
      version: '1.0',
      DDBStreamBatchInfo: { shardId: expect.stringMatching(/^shardId-/), batchSize: 1, streamArn },
    });
    const info = (consumer.dlq[0] as { DDBStreamBatchInfo: { startSequenceNumber: string; endSequenceNumber: string } })
      .DDBStreamBatchInfo;
    expect(info.startSequenceNumber).toBe(info.endSequenceNumber);
    await eventually(() => expect(consumer!.processed()).toHaveLength(9));
    expect(consumer.processed()).toEqual([
      'item-0',
      'item-1',
      'item-2',
      'item-3',
      'item-5',
      'item-6',
      'item-7',
      'item-8',
      'item-9',
    ]);
  });

  it('delivers the first change of a table whose stream was polled empty while other tables changed', async () => {
    // DynamoDB Local then refuses the empty shard's iterator as trimmed; the mapping must start again, not stall.
    const quiet = await tableWithStream('quiet');
    const busy = await tableWithStream('busy');
    consumer = startConsumer({ clients, mapping: { kind: 'dynamodb', sourceArn: quiet.streamArn } });
    await consumer.mapping.ready();
    for (let i = 0; i < 20; i += 1) await put(busy.name, `busy-${i}`);
    await sleep(500); // a few empty polls of the quiet stream
    await put(quiet.name, 'first');
    await put(quiet.name, 'second');
    await eventually(() => expect(consumer!.processed()).toEqual(['first', 'second']));
  });

  it('starts at LATEST: only changes made after the mapping started', async () => {
    const { name, streamArn } = await tableWithStream('latest');
    await put(name, 'old');
    consumer = startConsumer({
      clients,
      mapping: { kind: 'dynamodb', sourceArn: streamArn, startingPosition: 'LATEST' },
    });
    await consumer.mapping.ready();
    await put(name, 'new');
    await eventually(() => expect(consumer!.processed()).toEqual(['new']));
  });
});
