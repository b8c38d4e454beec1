import { BatchWriteItemCommand, DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from '@refarch/local-cloud';
import { chunks } from '../src/domain/collections.ts';

/**
 * The bare limit the benchmarks compare with: marshalled items written straight into a table with
 * BatchWriteItem of 25, `concurrency` requests at a time, no retries. Only the writes are timed.
 */
export async function bareBatchWrite(
  endpoint: string,
  table: string,
  items: ReadonlyArray<Record<string, AttributeValue>>,
  concurrency = 8,
): Promise<{ seconds: number; requests: number; unprocessed: number }> {
  const requests = chunks(items, 25);
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS });
  let next = 0;
  let unprocessed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < requests.length; i = next++) {
        const output = await client.send(
          new BatchWriteItemCommand({
            RequestItems: { [table]: requests[i]!.map((Item) => ({ PutRequest: { Item } })) },
          }),
        );
        unprocessed += output.UnprocessedItems?.[table]?.length ?? 0;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  return { seconds, requests: requests.length, unprocessed };
}
