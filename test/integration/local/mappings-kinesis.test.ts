import { SplitShardCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startKinesis, type RunningService } from '@refarch/local-cloud';
import {
  clientsFor,
  createStream,
  eventually,
  items,
  putItems,
  startConsumer,
  uniqueName,
  type Clients,
  type Consumer,
} from '../../fixtures/semantics/harness.ts';

// Lambda's stream semantics against the real Kinesis mock, with a consumer that fails on purpose.
let kinesisService: RunningService;
let clients: Clients;
let consumer: Consumer | undefined;

beforeAll(async () => {
  kinesisService = await startKinesis();
  clients = clientsFor({ kinesis: kinesisService.endpoint });
});
afterAll(async () => {
  await kinesisService?.stop();
});
afterEach(async () => {
  await consumer?.stop();
  consumer = undefined;
});

const kinesis = () => clients.kinesis!;
const countOf = (ids: string[]) =>
  ids.reduce((counts, id) => counts.set(id, (counts.get(id) ?? 0) + 1), new Map<string, number>());

async function streamWith(label: string, put: Parameters<typeof items>, shards = 1) {
  const name = uniqueName(label);
  const arn = await createStream(kinesis(), name, shards);
  const sequenceNumbers = await putItems(kinesis(), name, items(...put));
  return { name, arn, sequenceNumbers };
}

describe('Kinesis event source mapping', () => {
  it('delivers records in the shape Lambda gives them, in order', async () => {
    const { arn, sequenceNumbers } = await streamWith('shape', [3, 'shape']);
    consumer = startConsumer({
      clients,
      mapping: { kind: 'kinesis', sourceArn: arn },
      environment: { KEEP_RECORDS: '1' },
    });
    await eventually(() => expect(consumer!.processed()).toEqual(['shape-0', 'shape-1', 'shape-2']));
    const [batch] = consumer.log();
    if (batch?.type !== 'batch' || !batch.records) throw new Error('no batch recorded');
    const shardId = 'shardId-000000000000';
    expect(batch.records[0]).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'one-key',
        sequenceNumber: sequenceNumbers[0],
        data: Buffer.from(JSON.stringify({ id: 'shape-0' })).toString('base64'),
        approximateArrivalTimestamp: expect.any(Number),
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${sequenceNumbers[0]}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/refarch-test-consumer-us-east-1-lambdaRole',
      awsRegion: 'us-east-1',
      eventSourceARN: arn,
    });
    const arrival = (batch.records[0] as { kinesis: { approximateArrivalTimestamp: number } }).kinesis
      .approximateArrivalTimestamp;
    expect(Math.abs(arrival - Date.now() / 1000)).toBeLessThan(600); // seconds, not milliseconds
    expect(consumer.mapping.stats()).toMatchObject({
      state: 'Enabled',
      batches: 1,
      records: 3,
      failures: 0,
      lastProcessingResult: 'OK',
    });
  });

  it('sends one poison record of a batch of 100 to the DLQ, processes the other 99 exactly once, and moves on', async () => {
    const { name, arn, sequenceNumbers } = await streamWith('poison', [100, 'p', { 37: 'poison' }]);
    consumer = startConsumer({
      clients,
      mapping: { kind: 'kinesis', sourceArn: arn, bisectBatchOnFunctionError: true, maximumRetryAttempts: 2 },
    });
    await eventually(() => expect(consumer!.dlq).toHaveLength(1));
    expect(consumer.dlq[0]).toEqual({
      requestContext: {
        requestId: expect.any(String),
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:refarch-test-consumer',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: expect.any(Number),
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      version: '1.0',
      timestamp: expect.any(String),
      KinesisBatchInfo: {
        shardId: 'shardId-000000000000',
        startSequenceNumber: sequenceNumbers[37],
        endSequenceNumber: sequenceNumbers[37],
        approximateArrivalOfFirstRecord: expect.stringMatching(/Z$/),
        approximateArrivalOfLastRecord: expect.stringMatching(/Z$/),
        batchSize: 1,
        streamArn: arn,
      },
    });
    await putItems(kinesis(), name, [{ id: 'after' }]);
    await eventually(() => expect(consumer!.processed()).toContain('after'));
    const counts = countOf(consumer.processed());
    expect(counts.get('p-37')).toBeUndefined();
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(counts.size).toBe(100); // 99 + 'after'
    expect(consumer.batches()[0]).toHaveLength(100);
    expect(consumer.mapping.stats()).toMatchObject({ records: 100, discarded: 1 });
  });

  it('bisects a failing batch until the failing record is alone', async () => {
    const { arn, sequenceNumbers } = await streamWith('bisect', [8, 'b', { 5: 'poison' }]);
    consumer = startConsumer({
      clients,
      environment: { FAILURE_MODE: 'throw' },
      mapping: {
        kind: 'kinesis',
        sourceArn: arn,
        reportBatchItemFailures: false,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 0,
      },
    });
    await eventually(() => expect(consumer!.processed()).toContain('b-7'));
    expect(consumer.batches().map((batch) => batch.length)).toEqual([8, 4, 4, 2, 1, 1, 2]);
    expect(consumer.dlq).toMatchObject([
      {
        requestContext: { condition: 'RetryAttemptsExhausted' },
        responseContext: { functionError: 'Unhandled' },
        KinesisBatchInfo: {
          batchSize: 1,
          startSequenceNumber: sequenceNumbers[5],
          endSequenceNumber: sequenceNumbers[5],
        },
      },
    ]);
  });

  it('retries a failing batch maximumRetryAttempts times, then gives the whole batch up', async () => {
    const { name, arn, sequenceNumbers } = await streamWith('retry', [5, 'r', { 2: 'poison' }]);
    consumer = startConsumer({
      clients,
      environment: { FAILURE_MODE: 'throw' },
      mapping: { kind: 'kinesis', sourceArn: arn, reportBatchItemFailures: false, maximumRetryAttempts: 2 },
    });
    await eventually(() => expect(consumer!.dlq).toHaveLength(1));
    expect(consumer.batches()).toEqual([0, 1, 2].map(() => ['r-0', 'r-1', 'r-2', 'r-3', 'r-4']));
    expect(consumer.dlq[0]).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
      KinesisBatchInfo: {
        batchSize: 5,
        startSequenceNumber: sequenceNumbers[0],
        endSequenceNumber: sequenceNumbers[4],
      },
    });
    await putItems(kinesis(), name, [{ id: 'next' }]);
    await eventually(() => expect(consumer!.batches().at(-1)).toEqual(['next']));
  });

  it('resumes from the lowest reported failure, redelivering nothing before it', async () => {
    const { arn } = await streamWith('resume', [6, 'f', { 3: 'fail-once' }]);
    consumer = startConsumer({ clients, mapping: { kind: 'kinesis', sourceArn: arn, maximumRetryAttempts: 2 } });
    await eventually(() => expect(consumer!.processed()).toEqual(['f-0', 'f-1', 'f-2', 'f-3', 'f-4', 'f-5']));
    expect(consumer.batches()).toEqual([
      ['f-0', 'f-1', 'f-2', 'f-3', 'f-4', 'f-5'],
      ['f-3', 'f-4', 'f-5'],
    ]);
    expect(consumer.dlq).toEqual([]);
    expect(consumer.mapping.stats()).toMatchObject({ batches: 2, failures: 1, records: 6, discarded: 0 });
  });

  it('fails an invocation that runs over the function timeout, and retries it like any failure', async () => {
    const { arn } = await streamWith('timeout', [1, 't', { 0: 'slow' }]);
    consumer = startConsumer({
      clients,
      timeoutSeconds: 1,
      environment: { SLOW_MS: '4000' },
      mapping: { kind: 'kinesis', sourceArn: arn, maximumRetryAttempts: 1 },
    });
    await eventually(() => expect(consumer!.dlq).toHaveLength(1));
    expect(consumer.dlq[0]).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 },
      responseContext: { functionError: 'Unhandled' },
    });
    expect(consumer.processed()).toEqual([]);
    expect(consumer.runtime.stats()[0]).toMatchObject({ invocations: 2, timeouts: 2 });
    expect(consumer.mapping.stats().lastError).toContain('Task timed out after 1.00 seconds');
  });

  it('gives records up once they are older than maximumRecordAgeInSeconds', async () => {
    const { name, arn, sequenceNumbers } = await streamWith('age', [1, 'a', { 0: 'poison' }]);
    consumer = startConsumer({
      clients,
      mapping: { kind: 'kinesis', sourceArn: arn, maximumRetryAttempts: -1, maximumRecordAgeInSeconds: 1 },
    });
    await eventually(() => expect(consumer!.dlq).toHaveLength(1));
    expect(consumer.dlq[0]).toMatchObject({
      requestContext: { condition: 'RecordAgeExceeded' },
      KinesisBatchInfo: { batchSize: 1, startSequenceNumber: sequenceNumbers[0] },
    });
    await putItems(kinesis(), name, [{ id: 'fresh' }]);
    await eventually(() => expect(consumer!.processed()).toEqual(['fresh']));
  });

  it('delivers at most batchSize records per invocation', async () => {
    const { arn } = await streamWith('size', [7, 's']);
    consumer = startConsumer({ clients, mapping: { kind: 'kinesis', sourceArn: arn, batchSize: 3 } });
    await eventually(() => expect(consumer!.processed()).toHaveLength(7));
    expect(consumer.batches().map((batch) => batch.length)).toEqual([3, 3, 1]);
  });

  it('waits up to the batching window to fill a batch', async () => {
    const name = uniqueName('window');
    const arn = await createStream(kinesis(), name);
    consumer = startConsumer({
      clients,
      mapping: { kind: 'kinesis', sourceArn: arn, maximumBatchingWindowInSeconds: 5 },
    });
    await consumer.mapping.ready();
    await putItems(kinesis(), name, [{ id: 'w-0' }]);
    // The first record has been fetched and is waiting for company: without a window it would go alone.
    await eventually(() => {
      const stats = consumer!.mapping.stats();
      expect(stats.batches).toBe(0);
      expect(stats.lagMs).toBeGreaterThan(0);
    });
    await putItems(kinesis(), name, [{ id: 'w-1' }, { id: 'w-2' }, { id: 'w-3' }]);
    await eventually(() => expect(consumer!.processed()).toHaveLength(4));
    expect(consumer.batches()).toEqual([['w-0', 'w-1', 'w-2', 'w-3']]);
  });

  it('starts at LATEST: only records put after the mapping started', async () => {
    const { name, arn } = await streamWith('latest', [2, 'old']);
    consumer = startConsumer({ clients, mapping: { kind: 'kinesis', sourceArn: arn, startingPosition: 'LATEST' } });
    await consumer.mapping.ready();
    await putItems(kinesis(), name, [{ id: 'new' }]);
    await eventually(() => expect(consumer!.processed()).toEqual(['new']));
  });

  it('starts AT_TIMESTAMP', async () => {
    const { name, arn } = await streamWith('timestamp', [1, 'before']);
    await sleep(1100);
    const startSeconds = Date.now() / 1000;
    await putItems(kinesis(), name, [{ id: 'after' }]);
    consumer = startConsumer({
      clients,
      mapping: {
        kind: 'kinesis',
        sourceArn: arn,
        startingPosition: 'AT_TIMESTAMP',
        startingPositionTimestamp: startSeconds,
      },
    });
    await eventually(() => expect(consumer!.processed()).toEqual(['after']));
  });

  it('reads a parent shard to its end before its children, so a key stays in order across a split', async () => {
    const name = uniqueName('split');
    const arn = await createStream(kinesis(), name);
    await putItems(kinesis(), name, items(3, 'parent'));
    await kinesis().send(
      new SplitShardCommand({
        StreamName: name,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    await eventually(async () => {
      const { StreamDescriptionSummary: summary } = await kinesis().send(
        new DescribeStreamSummaryCommand({ StreamName: name }),
      );
      expect(summary?.StreamStatus).toBe('ACTIVE');
    });
    await putItems(kinesis(), name, items(3, 'child'));
    consumer = startConsumer({ clients, mapping: { kind: 'kinesis', sourceArn: arn } });
    await eventually(() =>
      expect(consumer!.processed()).toEqual(['parent-0', 'parent-1', 'parent-2', 'child-0', 'child-1', 'child-2']),
    );
    await eventually(() => expect(consumer!.mapping.stats()).toMatchObject({ finishedShards: 1, shards: 2 }));
  });

  it('finds shards that appear while it runs', async () => {
    const name = uniqueName('grow');
    const arn = await createStream(kinesis(), name);
    consumer = startConsumer({ clients, mapping: { kind: 'kinesis', sourceArn: arn } });
    await consumer.mapping.ready();
    await kinesis().send(
      new SplitShardCommand({
        StreamName: name,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    await eventually(() => expect(consumer!.mapping.stats()).toMatchObject({ shards: 2, finishedShards: 1 }));
    await putItems(kinesis(), name, items(2, 'late'), 'another-key');
    await eventually(() => expect(consumer!.processed()).toEqual(['late-0', 'late-1']));
  });

  it('sends nothing to a destination it does not have, and counts the discarded records', async () => {
    const { arn } = await streamWith('nodest', [2, 'n', { 0: 'poison' }]);
    consumer = startConsumer({
      clients,
      mapping: { kind: 'kinesis', sourceArn: arn, maximumRetryAttempts: 0, onFailureArn: undefined },
    });
    await eventually(() => expect(consumer!.mapping.stats().discarded).toBe(2));
    expect(consumer.dlq).toEqual([]);
  });
});
