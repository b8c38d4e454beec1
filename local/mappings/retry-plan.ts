import type { BatchOutcome } from './batch-outcome.ts';

export interface RetryPolicy {
  bisectBatchOnFunctionError: boolean;
  maximumRetryAttempts: number;
}

/** A batch waiting to be (re)delivered: its size and how many counted retries it has had. */
export interface PlannedBatch {
  size: number;
  retries: number;
}

/** After one invocation: the leading records done, the records given up on next, then what is delivered again. */
export interface RetryPlan {
  done: number;
  discard: number;
  retry: PlannedBatch[];
}

/**
 * What Lambda does after delivering a batch to the function:
 * - success: the whole batch is done;
 * - a partial failure: the records before the lowest failed one are done; the rest is delivered again,
 *   as its own batch when bisecting ("bisected at the returned sequence number"), else as a retry;
 * - a failure (or nothing done): with bisectBatchOnFunctionError the batch is split in two halves,
 *   which costs no retry; otherwise it is retried as it is;
 * - a retry beyond maximumRetryAttempts (-1 = unlimited) gives the records up.
 */
export function planAfterInvocation(batch: PlannedBatch, outcome: BatchOutcome, policy: RetryPolicy): RetryPlan {
  if (outcome.kind === 'success') return { done: batch.size, discard: 0, retry: [] };
  const done = outcome.kind === 'partial' ? outcome.failedIndex : 0;
  const rest = batch.size - done;
  if (policy.bisectBatchOnFunctionError && done > 0)
    return { done, discard: 0, retry: [{ size: rest, retries: batch.retries }] };
  if (policy.bisectBatchOnFunctionError && rest > 1) {
    const first = Math.ceil(rest / 2);
    return {
      done,
      discard: 0,
      retry: [
        { size: first, retries: batch.retries },
        { size: rest - first, retries: batch.retries },
      ],
    };
  }
  const retries = batch.retries + 1;
  if (policy.maximumRetryAttempts >= 0 && retries > policy.maximumRetryAttempts)
    return { done, discard: rest, retry: [] };
  return { done, discard: 0, retry: [{ size: rest, retries }] };
}

/** Wait before a counted retry: 100 ms doubling up to 5 s (Lambda backs off too, on a longer scale). */
export function retryBackoffMs(retries: number): number {
  return Math.min(5000, 100 * 2 ** Math.max(0, retries - 1));
}
