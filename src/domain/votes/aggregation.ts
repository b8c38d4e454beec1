import type { VoteChange } from './vote-change.ts';

/** The vote a voter currently counts for in the totals, and the version it came from. */
export interface AppliedVote {
  voterId: string;
  version: number;
  candidate: string | null;
}

/**
 * Moves one voter's applied vote to a newer version. `readVersion` is the applied version the plan
 * was made from (null: none yet), so the write can be conditioned on nobody having moved it since.
 */
export interface VoterUpdate {
  voterId: string;
  readVersion: number | null;
  version: number;
  candidate: string | null;
  previousCandidate: string | null;
}

export interface CandidateDelta {
  candidate: string;
  delta: number;
}

export interface AggregationPlan {
  updates: VoterUpdate[];
  deltas: CandidateDelta[];
}

/** DynamoDB's limit of actions in one TransactWriteItems. */
export const MAX_TRANSACTION_ACTIONS = 100;

/**
 * What to write for a batch of vote changes, given the applied votes of its voters: per voter only
 * the newest change, and only if it is newer than the applied one; per candidate the net change
 * (old applied candidate -1, new +1, zero dropped). Duplicates, replays and stale records thus
 * change nothing, whatever order they arrive in.
 */
export function planAggregation(
  changes: readonly VoteChange[],
  applied: ReadonlyMap<string, AppliedVote>,
): AggregationPlan {
  const updates: VoterUpdate[] = [];
  for (const change of newestPerVoter(changes).values()) {
    const current = applied.get(change.voterId);
    if (current && change.version <= current.version) continue;
    updates.push({
      voterId: change.voterId,
      readVersion: current?.version ?? null,
      version: change.version,
      candidate: change.candidate,
      previousCandidate: current?.candidate ?? null,
    });
  }
  return { updates, deltas: deltasOf(updates) };
}

/**
 * Splits a plan into transactions of at most `maxActions` actions (one per voter plus one per
 * candidate whose total changes); each chunk carries exactly the deltas of its own voters, so any
 * prefix of applied chunks leaves totals and applied votes consistent.
 */
export function chunkPlan(updates: readonly VoterUpdate[], maxActions = MAX_TRANSACTION_ACTIONS): AggregationPlan[] {
  const chunks: AggregationPlan[] = [];
  let current: VoterUpdate[] = [];
  const touched = new Set<string>();
  for (const update of updates) {
    const added = [update.candidate, update.previousCandidate].filter(
      (c): c is string => c !== null && !touched.has(c),
    );
    if (current.length > 0 && current.length + 1 + touched.size + new Set(added).size > maxActions) {
      chunks.push({ updates: current, deltas: deltasOf(current) });
      current = [];
      touched.clear();
    }
    current.push(update);
    for (const candidate of [update.candidate, update.previousCandidate])
      if (candidate !== null) touched.add(candidate);
  }
  if (current.length > 0) chunks.push({ updates: current, deltas: deltasOf(current) });
  return chunks;
}

/** Net change per candidate; candidates whose total does not change are left out. */
export function deltasOf(updates: readonly VoterUpdate[]): CandidateDelta[] {
  const deltas = new Map<string, number>();
  const add = (candidate: string | null, delta: number) => {
    if (candidate !== null) deltas.set(candidate, (deltas.get(candidate) ?? 0) + delta);
  };
  for (const update of updates) {
    add(update.previousCandidate, -1);
    add(update.candidate, 1);
  }
  return [...deltas]
    .filter(([, delta]) => delta !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([candidate, delta]) => ({ candidate, delta }));
}

function newestPerVoter(changes: readonly VoteChange[]): Map<string, VoteChange> {
  const newest = new Map<string, VoteChange>();
  for (const change of changes) {
    const kept = newest.get(change.voterId);
    if (!kept || change.version > kept.version) newest.set(change.voterId, change);
  }
  return newest;
}
