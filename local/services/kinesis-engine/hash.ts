import { createHash } from 'node:crypto';
import { invalid } from './errors.ts';

/** Hash keys are 128-bit unsigned integers: 0 .. 2^128 - 1. */
export const MAX_HASH_KEY = (1n << 128n) - 1n;

/** Where Kinesis routes a record: the MD5 of its partition key read as a big-endian integer, unless an explicit hash key is given. */
export function hashKeyOf(partitionKey: string, explicitHashKey?: string): bigint {
  if (explicitHashKey !== undefined) {
    const key = /^\d{1,39}$/.test(explicitHashKey) ? BigInt(explicitHashKey) : -1n;
    if (key < 0n || key > MAX_HASH_KEY)
      throw invalid(`ExplicitHashKey ${explicitHashKey} is not a number from 0 to 2^128 - 1.`);
    return key;
  }
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** The hash key ranges of a stream created with `count` shards: the key space cut in equal parts, as Kinesis does. */
export function evenRanges(count: number): Array<{ start: bigint; end: bigint }> {
  const size = (MAX_HASH_KEY + 1n) / BigInt(count);
  return Array.from({ length: count }, (_unused, index) => ({
    start: size * BigInt(index),
    end: index === count - 1 ? MAX_HASH_KEY : size * BigInt(index + 1) - 1n,
  }));
}
