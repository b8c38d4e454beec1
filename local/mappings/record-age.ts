/** How many leading records of a batch are older than maximumRecordAgeInSeconds (-1: no limit). */
export function expiredPrefix(arrivalsMs: number[], nowMs: number, maximumRecordAgeInSeconds: number): number {
  if (maximumRecordAgeInSeconds < 0) return 0;
  const limitMs = maximumRecordAgeInSeconds * 1000;
  let count = 0;
  while (count < arrivalsMs.length && nowMs - arrivalsMs[count]! > limitMs) count += 1;
  return count;
}

/**
 * DynamoDB Local truncates ApproximateCreationDateTime to the minute. A record cannot be newer than
 * the moment the poller first saw it, so a timestamp on a minute boundary is taken as the later of
 * the two bounds we know: no later than first seen, no later than the end of that minute.
 */
export function arrivalEstimate(createdMs: number, firstSeenMs: number): number {
  if (createdMs % 60_000 !== 0) return createdMs;
  return Math.max(createdMs, Math.min(firstSeenMs, createdMs + 59_999));
}

/** How many leading records fit into one invocation: at most batchSize, and at most maxBytes of event (Lambda: 6 MB). */
export function batchLength(sizesBytes: number[], batchSize: number, maxBytes: number): number {
  let total = 0;
  let count = 0;
  for (const size of sizesBytes) {
    if (count >= batchSize || (count > 0 && total + size > maxBytes)) break;
    total += size;
    count += 1;
  }
  return count;
}
