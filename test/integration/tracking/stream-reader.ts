import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { awsConfig, physicalId } from '../../support/cloud.ts';

/**
 * Reads what is put on a stream from now on: LATEST iterators on every shard, taken before the
 * action under test, then GetRecords after it.
 */
export async function streamTail(logicalId: string) {
  const kinesis = new KinesisClient({ ...awsConfig('kinesis'), requestHandler: new NodeHttpHandler() });
  const StreamName = physicalId(logicalId);
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName }));
  let iterators = await Promise.all(
    Shards.map(
      async ({ ShardId }) =>
        (await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'LATEST' })))
          .ShardIterator!,
    ),
  );
  const seen: Array<{ data: Uint8Array; partitionKey: string }> = [];
  return {
    /** Every record put since the tail was taken (accumulated over calls). */
    async records() {
      iterators = await Promise.all(
        iterators.map(async (ShardIterator) => {
          const output = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
          seen.push(
            ...(output.Records ?? []).map((record) => ({ data: record.Data!, partitionKey: record.PartitionKey! })),
          );
          return output.NextShardIterator!;
        }),
      );
      return seen;
    },
    close: () => kinesis.destroy(),
  };
}
