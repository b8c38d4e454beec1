import { createHash } from 'node:crypto';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  SplitShardCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../net.ts';
import { startKinesisEngine, type KinesisEngineServer } from './server.ts';

// The local Kinesis engine, through the real SDK client over HTTP: the client parses its answers and errors.
let clock = Date.now();
let engine: KinesisEngineServer;
let kinesis: KinesisClient;
const StreamName = 'engine-test';

beforeAll(async () => {
  engine = await startKinesisEngine(await freePort(), {
    region: 'us-east-1',
    account: '000000000000',
    now: () => clock,
    shardLimits: true,
  });
  kinesis = new KinesisClient({
    endpoint: `http://127.0.0.1:${engine.port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
  await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 4 }));
});
afterAll(async () => {
  kinesis.destroy();
  await engine.close();
});

const shardOfKey = (key: string) => {
  const hash = BigInt(`0x${createHash('md5').update(key).digest('hex')}`);
  return `shardId-00000000000${Number(hash / 2n ** 126n)}`;
};
const iterator = async (ShardId: string, ShardIteratorType: ShardIteratorType, extra: Record<string, unknown> = {}) =>
  (await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType, ...extra })))
    .ShardIterator!;
const read = async (ShardIterator: string) => kinesis.send(new GetRecordsCommand({ ShardIterator }));
const text = (records: Array<{ Data?: Uint8Array }> = []) => records.map((r) => Buffer.from(r.Data!).toString());

describe('local Kinesis engine', () => {
  it('creates a stream ACTIVE at once, with shards covering the hash key space evenly', async () => {
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    expect(summary.StreamDescriptionSummary).toMatchObject({
      StreamStatus: 'ACTIVE',
      OpenShardCount: 4,
      StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${StreamName}`,
    });
    const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName }));
    expect(Shards.map((s) => s.HashKeyRange?.StartingHashKey)).toEqual([
      '0',
      `${2n ** 126n}`,
      `${2n ** 127n}`,
      `${3n * 2n ** 126n}`,
    ]);
    expect(Shards.at(-1)?.HashKeyRange?.EndingHashKey).toBe(`${2n ** 128n - 1n}`);
    expect((await kinesis.send(new ListStreamsCommand({}))).StreamNames).toContain(StreamName);
  });

  it('routes a partition key to the shard its MD5 falls in, sequence numbers increasing, in order', async () => {
    const key = 'user-7';
    const shard = shardOfKey(key);
    const start = await iterator(shard, 'LATEST');
    const puts = [];
    for (const n of [1, 2, 3])
      puts.push(
        await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: key, Data: Buffer.from(`r${n}`) })),
      );
    expect(puts.map((p) => p.ShardId)).toEqual([shard, shard, shard]);
    const numbers = puts.map((p) => BigInt(p.SequenceNumber!));
    expect(numbers[0]! < numbers[1]! && numbers[1]! < numbers[2]!).toBe(true);
    const { Records, NextShardIterator, MillisBehindLatest } = await read(start);
    expect(text(Records)).toEqual(['r1', 'r2', 'r3']);
    expect(Records![0]).toMatchObject({
      PartitionKey: key,
      SequenceNumber: puts[0]!.SequenceNumber,
      ApproximateArrivalTimestamp: new Date(clock),
    });
    expect(MillisBehindLatest).toBe(0);
    expect((await read(NextShardIterator!)).Records).toEqual([]);
  });

  it('starts iterators at TRIM_HORIZON, AT/AFTER_SEQUENCE_NUMBER and AT_TIMESTAMP', async () => {
    const key = 'iterators';
    const shard = shardOfKey(key);
    const { Records } = await kinesis.send(
      new PutRecordsCommand({
        StreamName,
        Records: ['a', 'b', 'c'].map((d) => ({ PartitionKey: key, Data: Buffer.from(d) })),
      }),
    );
    const [, second] = Records!.map((r) => r.SequenceNumber!);
    const mine = (records?: Array<{ PartitionKey?: string; Data?: Uint8Array }>) =>
      text(records?.filter((r) => r.PartitionKey === key));
    expect(mine((await read(await iterator(shard, 'TRIM_HORIZON'))).Records)).toEqual(['a', 'b', 'c']);
    expect(
      text((await read(await iterator(shard, 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: second }))).Records),
    ).toEqual(['b', 'c']);
    expect(
      text((await read(await iterator(shard, 'AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: second }))).Records),
    ).toEqual(['c']);
    clock += 10_000;
    await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: key, Data: Buffer.from('later') }));
    expect(
      text((await read(await iterator(shard, 'AT_TIMESTAMP', { Timestamp: new Date(clock - 1000) }))).Records),
    ).toEqual(['later']);
  });

  it('honours Limit and tells how far behind the tip a read is', async () => {
    const key = 'limit';
    const shard = shardOfKey(key);
    const start = await iterator(shard, 'LATEST');
    await kinesis.send(
      new PutRecordsCommand({
        StreamName,
        Records: ['1', '2', '3'].map((d) => ({ PartitionKey: key, Data: Buffer.from(d) })),
      }),
    );
    clock += 2000;
    const first = await kinesis.send(new GetRecordsCommand({ ShardIterator: start, Limit: 2 }));
    expect(text(first.Records)).toEqual(['1', '2']);
    expect(first.MillisBehindLatest).toBe(2000);
    expect(text((await read(first.NextShardIterator!)).Records)).toEqual(['3']);
  });

  it('expires an iterator five minutes after it was returned', async () => {
    const stale = await iterator('shardId-000000000000', 'LATEST');
    clock += 5 * 60_000 + 1;
    await expect(read(stale)).rejects.toMatchObject({ name: 'ExpiredIteratorException' });
  });

  it('refuses bad requests with the errors the SDK names', async () => {
    const tooMany = Array.from({ length: 501 }, () => ({ PartitionKey: 'k', Data: Buffer.from('x') }));
    await expect(kinesis.send(new PutRecordsCommand({ StreamName, Records: tooMany }))).rejects.toMatchObject({
      name: 'InvalidArgumentException',
    });
    await expect(
      kinesis.send(new PutRecordCommand({ StreamName: 'missing', PartitionKey: 'k', Data: Buffer.from('x') })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }))).rejects.toMatchObject({
      name: 'ResourceInUseException',
    });
    await expect(
      kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: '', Data: Buffer.from('x') })),
    ).rejects.toMatchObject({ name: 'InvalidArgumentException' });
    await expect(read('not-an-iterator')).rejects.toMatchObject({ name: 'InvalidArgumentException' });
  });

  it('throttles a shard past 1,000 records a second when the limits are on, per entry in PutRecords', async () => {
    clock += 1000 - (clock % 1000);
    const key = 'hot';
    const entries = Array.from({ length: 500 }, () => ({ PartitionKey: key, Data: Buffer.from('x') }));
    await kinesis.send(new PutRecordsCommand({ StreamName, Records: entries }));
    await kinesis.send(new PutRecordsCommand({ StreamName, Records: entries.slice(2) }));
    const second = await kinesis.send(new PutRecordsCommand({ StreamName, Records: entries.slice(0, 3) }));
    expect(second.FailedRecordCount).toBe(1);
    expect(second.Records!.at(-1)).toMatchObject({ ErrorCode: 'ProvisionedThroughputExceededException' });
    clock += 1000;
    await expect(
      kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: key, Data: Buffer.from('x') })),
    ).resolves.toBeDefined();
  });

  it('splits a shard: the parent closes, its reader reaches the end, and children list it as parent', async () => {
    const split = 'engine-split';
    await kinesis.send(new CreateStreamCommand({ StreamName: split, ShardCount: 1 }));
    await kinesis.send(new PutRecordCommand({ StreamName: split, PartitionKey: 'k', Data: Buffer.from('before') }));
    const start = (
      await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: split,
          ShardId: 'shardId-000000000000',
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator!;
    await kinesis.send(
      new SplitShardCommand({
        StreamName: split,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: `${2n ** 127n}`,
      }),
    );
    const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: split }));
    expect(
      Shards.map((s) => [s.ShardId, s.ParentShardId, s.SequenceNumberRange?.EndingSequenceNumber !== undefined]),
    ).toEqual([
      ['shardId-000000000000', undefined, true],
      ['shardId-000000000001', 'shardId-000000000000', false],
      ['shardId-000000000002', 'shardId-000000000000', false],
    ]);
    const end = await read(start);
    expect(text(end.Records)).toEqual(['before']);
    expect(end.NextShardIterator).toBeUndefined();
    expect(end.ChildShards?.map((c) => c.ShardId)).toEqual(['shardId-000000000001', 'shardId-000000000002']);
  });

  it('is unreachable while refused, then serves every record it had', async () => {
    const key = 'outage';
    const start = await iterator(shardOfKey(key), 'LATEST');
    await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: key, Data: Buffer.from('kept') }));
    engine.refuse();
    await expect(kinesis.send(new ListStreamsCommand({}))).rejects.toThrow();
    engine.accept();
    expect(text((await read(start)).Records)).toEqual(['kept']);
  });
});
