import type { StreamSource } from '../mappings/types.ts';
import { bufferedBytes, MIB, type DeliveryContext } from './context.ts';

/** Starts a reader for every shard of the source stream, and for shards that appear later. */
export async function readAllShards(
  context: DeliveryContext,
  source: StreamSource,
  readers: Map<string, Promise<void>>,
): Promise<void> {
  while (!context.signal.aborted) {
    try {
      for (const { shardId } of await source.listShards()) {
        if (!readers.has(shardId)) readers.set(shardId, readShardInto(context, source, shardId));
      }
    } catch (error) {
      context.fail(error);
    }
    await context.pause(2000);
  }
}

/** Reads one shard from its start into the buffer, renewing a lost iterator after the last record read. */
async function readShardInto(context: DeliveryContext, source: StreamSource, shardId: string): Promise<void> {
  const { spec, pollMs, buffer } = context;
  let iterator: string | undefined;
  let last: string | undefined;
  while (!context.signal.aborted) {
    try {
      // Backpressure: a full buffer waits for delivery before more is read.
      if (bufferedBytes(context) >= 2 * spec.sizeMb * MIB) {
        await context.pause(pollMs);
        continue;
      }
      iterator ??= await source.getIterator(
        shardId,
        last ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last } : { type: 'TRIM_HORIZON' },
      );
      if (!iterator) return;
      const { records, nextIterator } = await source.getRecords(shardId, iterator, 10_000);
      for (const record of records) {
        const { kinesis } = record.eventRecord as { kinesis: { data: string; partitionKey: string } };
        buffer.push({
          recordId: `${record.sequenceNumber}:${shardId}`,
          data: Buffer.from(kinesis.data, 'base64'),
          arrivalMs: record.arrivalMs,
          shardId,
          partitionKey: kinesis.partitionKey,
          sequenceNumber: record.sequenceNumber,
        });
        last = record.sequenceNumber;
      }
      iterator = nextIterator;
      if (!nextIterator) return;
      if (records.length === 0) await context.pause(pollMs);
    } catch (error) {
      if (!source.isExpiredIterator(error)) {
        context.fail(error);
        await context.pause(1000);
      }
      iterator = undefined;
    }
  }
}
