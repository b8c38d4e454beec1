import { chunkPlan, MAX_TRANSACTION_ACTIONS, planAggregation } from './aggregation.ts';
import type { AggregationPlan, AppliedVote } from './aggregation.ts';
import type { VoteChange } from './vote-change.ts';

/** The two tables as aggregation sees them; implemented over DynamoDB by the adapter. */
export interface AggregationStore {
  /** The applied votes of these voters (absent voters have none), read consistently. */
  readApplied(voterIds: readonly string[]): Promise<ReadonlyMap<string, AppliedVote>>;
  /**
   * Writes one chunk atomically: every voter's applied vote, each conditioned on its readVersion,
   * and the candidates' deltas. 'conflict' when a condition failed (someone else moved a voter
   * since the read) and nothing was written; throws on any other failure.
   */
  writeChunk(chunk: AggregationPlan): Promise<'applied' | 'conflict'>;
}

export interface ApplyOptions {
  /** Rounds of read-plan-write before voters still in conflict are reported as failed. */
  maxRounds?: number;
  maxActions?: number;
  /** Called before each round after the first (e.g. to back off). */
  beforeRetry?: (round: number) => Promise<void>;
  /** Told about each read or write that failed (e.g. to log it); those changes are reported as failed. */
  onError?: (error: unknown) => void;
}

/**
 * Applies a batch of vote changes to the totals exactly once. Returns the sequence numbers of the
 * changes that could not be applied now (to be reported as batch item failures and redelivered);
 * redelivery is harmless because the per-voter versions make every write idempotent.
 */
export async function applyVoteChanges(
  changes: readonly VoteChange[],
  store: AggregationStore,
  options: ApplyOptions = {},
): Promise<string[]> {
  const { maxRounds = 5, beforeRetry } = options;
  const failed: VoteChange[] = [];
  let pending = [...changes];
  for (let round = 0; round < maxRounds && pending.length > 0; round += 1) {
    if (round > 0) await beforeRetry?.(round);
    const outcome = await applyRound(pending, store, options);
    failed.push(...outcome.failed);
    pending = outcome.conflicted;
  }
  return sequenceNumbers([...failed, ...pending]);
}

async function applyRound(
  changes: VoteChange[],
  store: AggregationStore,
  { maxActions = MAX_TRANSACTION_ACTIONS, onError }: ApplyOptions,
) {
  const failed: VoteChange[] = [];
  const conflicted: VoteChange[] = [];
  let applied: ReadonlyMap<string, AppliedVote>;
  try {
    applied = await store.readApplied([...new Set(changes.map((change) => change.voterId))]);
  } catch (error) {
    onError?.(error);
    return { failed: changes, conflicted };
  }
  // One chunk after the other: chunks share candidate totals, and concurrent transactions on the
  // same items would cancel each other.
  for (const chunk of chunkPlan(planAggregation(changes, applied).updates, maxActions)) {
    const voters = new Set(chunk.updates.map((update) => update.voterId));
    const chunkChanges = changes.filter((change) => voters.has(change.voterId));
    try {
      if ((await store.writeChunk(chunk)) === 'conflict') conflicted.push(...chunkChanges);
    } catch (error) {
      onError?.(error);
      failed.push(...chunkChanges);
    }
  }
  return { failed, conflicted };
}

function sequenceNumbers(changes: readonly VoteChange[]): string[] {
  return [...new Set(changes.map((change) => change.sequenceNumber))];
}
