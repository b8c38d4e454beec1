// Small helpers over arrays that every pipeline's batches use.

/**
 * One entry per key, the last one in stream order winning (what sequential puts would leave).
 * BatchWriteItem rejects a request that names the same key twice, so a batch with a redelivered
 * record must be deduplicated before it is chunked.
 */
export function latestByKey<T>(entries: readonly T[], keyOf: (entry: T) => string): T[] {
  const latest = new Map<string, T>();
  for (const entry of entries) {
    const key = keyOf(entry);
    latest.delete(key); // re-insert, so the result follows the order of the last occurrences
    latest.set(key, entry);
  }
  return [...latest.values()];
}

/** Consecutive slices of at most `size` entries (BatchWriteItem takes 25 puts per request). */
export function chunks<T>(entries: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, not ${size}`);
  const result: T[][] = [];
  for (let start = 0; start < entries.length; start += size) result.push(entries.slice(start, start + size));
  return result;
}
