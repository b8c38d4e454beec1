import { describe, expect, it } from 'vitest';
import { dynamodbEventRecord, kinesisEventRecord } from './event-records.ts';
import { failedBatchObjectKey, isBucketArn, streamFailureRecord, withPayload } from './failure-record.ts';
import { arrivalEstimate, batchLength, expiredPrefix } from './record-age.ts';
import { shardsToStart } from './shard-order.ts';
import type { ShardInfo } from './types.ts';

describe('Lambda event records', () => {
  it('shapes a Kinesis record as Lambda delivers it', () => {
    const record = kinesisEventRecord(
      {
        data: Buffer.from('{"vote":"RED"}'),
        partitionKey: 'voter-1',
        sequenceNumber: '4959',
        arrivalMs: 1_545_084_650_987,
      },
      {
        shardId: 'shardId-000000000006',
        streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
        region: 'us-east-1',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/r',
      },
    );
    expect(record).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'voter-1',
        sequenceNumber: '4959',
        data: Buffer.from('{"vote":"RED"}').toString('base64'),
        approximateArrivalTimestamp: 1_545_084_650.987,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: 'shardId-000000000006:4959',
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/r',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
    });
  });

  it('shapes a DynamoDB stream record with epoch seconds and base64 binary values', () => {
    const record = dynamodbEventRecord(
      {
        eventID: 'e1',
        eventName: 'MODIFY',
        eventVersion: '1.1',
        dynamodb: {
          ApproximateCreationDateTime: new Date('2026-01-01T00:00:07.500Z'),
          Keys: { id: { S: 'a' } },
          NewImage: {
            id: { S: 'a' },
            blob: { B: Buffer.from('hi') },
            list: { L: [{ B: Buffer.from('x') }, { N: '1' }] },
          },
          OldImage: { id: { S: 'a' }, tags: { BS: [Buffer.from('t')] } },
          SequenceNumber: '000000000000000000002',
          SizeBytes: 21,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
      { streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026', region: 'us-east-1' },
    );
    expect(record).toEqual({
      eventID: 'e1',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: 1_767_225_607,
        Keys: { id: { S: 'a' } },
        NewImage: { id: { S: 'a' }, blob: { B: 'aGk=' }, list: { L: [{ B: 'eA==' }, { N: '1' }] } },
        OldImage: { id: { S: 'a' }, tags: { BS: ['dA=='] } },
        SequenceNumber: '000000000000000000002',
        SizeBytes: 21,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026',
    });
  });
});

describe('on-failure record of a stream mapping', () => {
  it('describes the discarded batch by position', () => {
    const record = streamFailureRecord({
      batchInfoKey: 'KinesisBatchInfo',
      condition: 'RetryAttemptsExhausted',
      requestId: 'req-1',
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      approximateInvokeCount: 3,
      functionError: true,
      shardId: 'shardId-000000000001',
      streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
      records: [
        { sequenceNumber: '11', arrivalMs: Date.UTC(2026, 0, 1, 0, 0, 1) },
        { sequenceNumber: '12', arrivalMs: Date.UTC(2026, 0, 1, 0, 0, 2, 500) },
      ],
      now: new Date(Date.UTC(2026, 0, 1, 0, 1)),
    });
    expect(record).toEqual({
      requestContext: {
        requestId: 'req-1',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2026-01-01T00:01:00.000Z',
      KinesisBatchInfo: {
        shardId: 'shardId-000000000001',
        startSequenceNumber: '11',
        endSequenceNumber: '12',
        approximateArrivalOfFirstRecord: '2026-01-01T00:00:01.000Z',
        approximateArrivalOfLastRecord: '2026-01-01T00:00:02.500Z',
        batchSize: 2,
        streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
      },
    });
  });

  it('uses DDBStreamBatchInfo for DynamoDB streams and no functionError after partial failures', () => {
    const record = streamFailureRecord({
      batchInfoKey: 'DDBStreamBatchInfo',
      condition: 'RecordAgeExceeded',
      requestId: 'r',
      functionArn: 'f',
      approximateInvokeCount: 0,
      functionError: false,
      shardId: 's',
      streamArn: 'a',
      records: [{ sequenceNumber: '1', arrivalMs: 0 }],
      now: new Date(0),
    });
    expect(record).toMatchObject({
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      DDBStreamBatchInfo: { batchSize: 1, startSequenceNumber: '1', endSequenceNumber: '1' },
    });
    expect(record.responseContext).not.toHaveProperty('functionError');
  });

  it("gives an S3 destination the whole event too, as an escaped JSON string, under Lambda's key layout", () => {
    const event = { Records: [{ kinesis: { data: 'aGk=', sequenceNumber: '11' } }] };
    const record = withPayload({ version: '1.0' }, event);
    expect(record).toEqual({ version: '1.0', payload: JSON.stringify(event) });
    expect(JSON.parse(record.payload)).toEqual(event);
    expect(
      failedBatchObjectKey(
        '0f1e2d3c-aaaa-4bbb-8ccc-0123456789ab',
        'shardId-000000000001',
        new Date(Date.UTC(2026, 2, 7, 4, 5, 6, 789)),
        'r-1',
      ),
    ).toBe('aws/lambda/0f1e2d3c-aaaa-4bbb-8ccc-0123456789ab/shardId-000000000001/2026/03/07/2026-03-07T04.05.06-r-1');
    expect(isBucketArn('arn:aws:s3:::refarch-dev-failed-batches')).toBe(true);
    expect(isBucketArn('arn:aws:sqs:us-east-1:000000000000:q')).toBe(false);
    expect(isBucketArn('arn:aws:s3:::bucket/key')).toBe(false);
  });
});

describe('record age and batch size', () => {
  it('finds the records older than the maximum age at the front of a batch', () => {
    expect(expiredPrefix([0, 500, 2000, 2500], 3000, 1)).toBe(2);
    expect(expiredPrefix([0, 500], 3000, -1)).toBe(0);
    expect(expiredPrefix([2500, 0], 3000, 1)).toBe(0);
  });

  it('estimates arrival from a minute-truncated DynamoDB Local timestamp and the time first seen', () => {
    const minute = Date.UTC(2026, 0, 1, 10, 5);
    expect(arrivalEstimate(minute, minute + 42_000)).toBe(minute + 42_000);
    expect(arrivalEstimate(minute, minute + 600_000)).toBe(minute + 59_999);
    expect(arrivalEstimate(minute + 7_000, minute + 42_000)).toBe(minute + 7_000);
  });

  it('fills a batch up to batchSize and the payload limit, always taking at least one record', () => {
    expect(batchLength([10, 10, 10, 10], 3, 100)).toBe(3);
    expect(batchLength([40, 40, 40], 10, 100)).toBe(2);
    expect(batchLength([500, 1], 10, 100)).toBe(1);
    expect(batchLength([], 10, 100)).toBe(0);
  });
});

describe('shard order', () => {
  const shard = (shardId: string, parentShardIds: string[] = [], closed = false): ShardInfo => ({
    shardId,
    parentShardIds,
    closed,
  });
  const state = (overrides: Partial<Parameters<typeof shardsToStart>[1]> = {}) => ({
    running: new Set<string>(),
    finished: new Set<string>(),
    initial: true,
    spec: { startingPosition: 'TRIM_HORIZON' as const },
    ...overrides,
  });
  const ids = (started: ReturnType<typeof shardsToStart>) =>
    started.map(({ shard: s, position }) => [s.shardId, position === 'skip' ? 'skip' : position.type]);

  it('starts parents before their children, and children once the parents are done', () => {
    const shards = [shard('p', [], true), shard('c1', ['p']), shard('c2', ['p']), shard('m', ['c1', 'c2'])];
    expect(ids(shardsToStart(shards, state()))).toEqual([['p', 'TRIM_HORIZON']]);
    expect(
      ids(shardsToStart(shards, state({ initial: false, running: new Set(['c2']), finished: new Set(['p']) }))),
    ).toEqual([['c1', 'TRIM_HORIZON']]);
    expect(ids(shardsToStart(shards, state({ initial: false, finished: new Set(['p', 'c1', 'c2']) })))).toEqual([
      ['m', 'TRIM_HORIZON'],
    ]);
  });

  it('starts a shard whose parent has been trimmed away', () => {
    expect(ids(shardsToStart([shard('c', ['gone'])], state()))).toEqual([['c', 'TRIM_HORIZON']]);
  });

  it('with LATEST, reads open shards from now on and skips closed ones', () => {
    const shards = [shard('p', [], true), shard('c1', ['p']), shard('c2', ['p'])];
    expect(ids(shardsToStart(shards, state({ spec: { startingPosition: 'LATEST' } })))).toEqual([
      ['p', 'skip'],
      ['c1', 'LATEST'],
      ['c2', 'LATEST'],
    ]);
  });

  it('reads shards that appear later from their start', () => {
    expect(
      ids(
        shardsToStart(
          [shard('new', ['old'])],
          state({ initial: false, finished: new Set(['old']), spec: { startingPosition: 'LATEST' } }),
        ),
      ),
    ).toEqual([['new', 'TRIM_HORIZON']]);
  });

  it('starts initial shards AT_TIMESTAMP', () => {
    const [started] = shardsToStart(
      [shard('a')],
      state({ spec: { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: 1_700_000_000 } }),
    );
    expect(started?.position).toEqual({ type: 'AT_TIMESTAMP', timestampMs: 1_700_000_000_000 });
  });
});
