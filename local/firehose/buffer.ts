/**
 * Firehose's buffering decisions, as pure functions: when a buffer is delivered, and how its records are
 * cut into transformation invocations.
 */

export interface BufferingHints {
  intervalSeconds: number;
  sizeMb: number;
}

const MIB = 1024 * 1024;

/** Delivered once it holds SizeInMBs, or its oldest record has waited IntervalInSeconds (0: at once). */
export function flushDue(
  buffer: { bytes: number; oldestMs: number | undefined },
  nowMs: number,
  hints: BufferingHints,
): boolean {
  if (buffer.oldestMs === undefined) return false;
  return buffer.bytes >= hints.sizeMb * MIB || nowMs - buffer.oldestMs >= hints.intervalSeconds * 1000;
}

/**
 * Cuts records (by their data size) into invocations of at most `maxBytes` of data each, in order; a
 * record larger than that goes alone. Returns the number of records in each invocation.
 */
export function invocationSizes(sizes: readonly number[], maxBytes: number): number[] {
  const counts: number[] = [];
  let count = 0;
  let bytes = 0;
  for (const size of sizes) {
    if (count > 0 && bytes + size > maxBytes) {
      counts.push(count);
      count = 0;
      bytes = 0;
    }
    count += 1;
    bytes += size;
  }
  if (count > 0) counts.push(count);
  return counts;
}
