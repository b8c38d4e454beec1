import { putAll } from '../../adapters/batch-writer.ts';
import { step } from '../../adapters/tracing.ts';
import { latestByKey } from '../../domain/collections.ts';
import { logger } from './logger.ts';

type Item = Record<string, unknown>;

/**
 * How the stream consumers that keep one item per key store a batch: the last record of a key in stream
 * order wins (as sequential puts would), items go out with BatchWriteItem (UnprocessedItems retried), and
 * the sequence numbers of the records whose item is still unwritten are returned as batch item failures.
 * Traced as the step `store`.
 */
export async function storeLatest<T extends { sequenceNumber: string }>(
  table: string,
  records: readonly T[],
  itemOf: (record: T) => Item,
  keyOf: (item: Item) => string,
): Promise<Set<string>> {
  const keyed = records.map((record) => {
    const item = itemOf(record);
    return { record, item, key: keyOf(item) };
  });
  const leftovers = await step('store', () =>
    putAll(
      table,
      latestByKey(keyed, ({ key }) => key).map(({ item }) => item),
      {
        onError: (error) => logger.warn('BatchWriteItem failed; its items will be retried', error as Error),
      },
    ),
  );
  const unwritten = new Set(leftovers.map(keyOf));
  return new Set(keyed.filter(({ key }) => unwritten.has(key)).map(({ record }) => record.sequenceNumber));
}
