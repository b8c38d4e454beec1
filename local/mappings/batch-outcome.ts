import type { InvocationResult } from '../runtime/index.ts';

/** What an invocation means for the batch: all done, done up to the lowest failed record, or failed as a whole. */
export type BatchOutcome =
  | { kind: 'success' }
  | { kind: 'partial'; failedIndex: number }
  | { kind: 'failure'; reason: string; timedOut: boolean };

/**
 * Reads the function's answer as Lambda does for streams (docs: "Configuring partial batch response"):
 * without ReportBatchItemFailures any answer is success; an empty or missing list is success; an
 * empty, missing or unknown itemIdentifier fails the whole batch; otherwise the batch is done up to
 * the record with the lowest failed sequence number.
 */
export function batchOutcome(
  result: InvocationResult,
  sequenceNumbers: string[],
  reportBatchItemFailures: boolean,
): BatchOutcome {
  if (!result.ok)
    return {
      kind: 'failure',
      reason: `${result.error.errorType}: ${result.error.errorMessage}`,
      timedOut: result.timedOut,
    };
  if (!reportBatchItemFailures || typeof result.payload !== 'object' || result.payload === null)
    return { kind: 'success' };
  const failures = (result.payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return invalid('batchItemFailures is not a list');
  if (failures.length === 0) return { kind: 'success' };
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures as unknown[]) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === 'string' && id !== '' ? sequenceNumbers.indexOf(id) : -1;
    if (index < 0) return invalid(`itemIdentifier ${JSON.stringify(id)} is not a sequence number of the batch`);
    lowest = Math.min(lowest, index);
  }
  return { kind: 'partial', failedIndex: lowest };
}

const invalid = (reason: string): BatchOutcome => ({
  kind: 'failure',
  reason: `invalid batch item failures: ${reason}`,
  timedOut: false,
});
