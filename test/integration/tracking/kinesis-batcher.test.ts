import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { createRecordBatcher } from '../../../src/adapters/kinesis-batcher.ts';
import { awsConfig, eventually } from '../../support/cloud.ts';

// The tracking server's group commit against the real Kinesis mock: every caller's record is on the
// stream when its put resolves, however many arrive at once.
describe('record batcher (group commit to Kinesis)', () => {
  it('accepts 300 concurrent records and every one of them is on the stream', async () => {
    const client = new KinesisClient({ ...awsConfig('kinesis'), requestHandler: new NodeHttpHandler() });
    const StreamName = `batcher-${Date.now()}`;
    await client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    await eventually(async () =>
      expect(
        (await client.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary?.StreamStatus,
      ).toBe('ACTIVE'),
    );
    const batcher = createRecordBatcher(StreamName, { client: () => client });
    const sent = Array.from({ length: 300 }, (_, i) => `record-${i}`);
    await Promise.all(sent.map((value) => batcher.put(Buffer.from(value), value)));
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName }));
    let { ShardIterator } = await client.send(
      new GetShardIteratorCommand({ StreamName, ShardId: Shards[0]!.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const received: string[] = [];
    while (ShardIterator && received.length < sent.length) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator }));
      received.push(...(page.Records ?? []).map((r) => Buffer.from(r.Data!).toString()));
      ShardIterator = page.Records?.length ? page.NextShardIterator : undefined;
    }
    expect(received.sort()).toEqual(sent.sort());
  });
});
