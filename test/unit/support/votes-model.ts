import type { AggregationPlan, AppliedVote } from '../../../src/domain/votes/aggregation.ts';
import type { AggregationStore } from '../../../src/domain/votes/apply-aggregation.ts';
import type { VoteChange } from '../../../src/domain/votes/vote-change.ts';

/** One request against VoteApp: a vote for a candidate, or (null) the removal of the voter's item. */
export interface Ballot {
  voter: number;
  candidate: string | null;
}

/**
 * What VoteApp's stream holds after these ballots, written as castVote writes (a repeated vote is
 * no write; every write adds 1 to Version), and the ground truth: each voter's final candidate.
 * A removed voter votes no more: VoteApp items are never deleted and re-created by this app.
 */
export function voteHistory(ballots: readonly Ballot[]): { changes: VoteChange[]; truth: Map<string, number> } {
  const items = new Map<string, { candidate: string; version: number }>();
  const removed = new Set<string>();
  const changes: VoteChange[] = [];
  const emit = (voterId: string, version: number, candidate: string | null) =>
    changes.push({ voterId, version, candidate, sequenceNumber: String(changes.length + 1).padStart(21, '0') });
  for (const { voter, candidate } of ballots) {
    const voterId = `voter-${voter}`;
    const item = items.get(voterId);
    if (removed.has(voterId) || (candidate !== null && item?.candidate === candidate)) continue;
    if (candidate === null) {
      if (!item) continue;
      items.delete(voterId);
      removed.add(voterId);
      emit(voterId, item.version + 1, null);
    } else {
      const version = (item?.version ?? 0) + 1;
      items.set(voterId, { candidate, version });
      emit(voterId, version, candidate);
    }
  }
  const truth = new Map<string, number>();
  for (const { candidate } of items.values()) truth.set(candidate, (truth.get(candidate) ?? 0) + 1);
  return { changes, truth };
}

/** VoteAppAppliedVotes and VoteAppAggregates in memory, with DynamoDB's transaction semantics. */
export class MemoryTables implements AggregationStore {
  readonly applied = new Map<string, AppliedVote>();
  readonly totals = new Map<string, number>();

  async readApplied(voterIds: readonly string[]): Promise<ReadonlyMap<string, AppliedVote>> {
    return new Map(
      voterIds.flatMap((id) => (this.applied.has(id) ? [[id, { ...this.applied.get(id)! }] as const] : [])),
    );
  }

  async writeChunk(chunk: AggregationPlan): Promise<'applied' | 'conflict'> {
    return this.write(chunk);
  }

  /** All or nothing: every voter condition holds, or nothing is written. */
  write(chunk: AggregationPlan): 'applied' | 'conflict' {
    const holds = chunk.updates.every(
      (update) => (this.applied.get(update.voterId)?.version ?? null) === update.readVersion,
    );
    if (!holds) return 'conflict';
    for (const { voterId, version, candidate } of chunk.updates)
      this.applied.set(voterId, { voterId, version, candidate });
    for (const { candidate, delta } of chunk.deltas)
      this.totals.set(candidate, (this.totals.get(candidate) ?? 0) + delta);
    return 'applied';
  }

  /** The totals without zero rows, comparable with a ground truth. */
  nonZeroTotals(): Map<string, number> {
    return new Map([...this.totals].filter(([, votes]) => votes !== 0));
  }
}

/**
 * What can go wrong with one call to the store: 'before' fails with nothing written, 'after' writes
 * and then fails (response lost), 'contention' cancels the transaction as a concurrent one would.
 */
export type Fault = 'none' | 'before' | 'after' | 'contention';

/** The store with the given faults, one per call, in order; once they are used up, calls succeed. */
export function faultyStore(tables: MemoryTables, faults: readonly Fault[]): AggregationStore {
  let call = 0;
  const next = () => faults[call++] ?? 'none';
  const failure = (when: string) => Object.assign(new Error(`injected fault ${when}`), { name: 'InternalServerError' });
  return {
    readApplied: async (voterIds) => {
      if (next() === 'before') throw failure('before read');
      return tables.readApplied(voterIds);
    },
    writeChunk: async (chunk) => {
      const fault = next();
      if (fault === 'before') throw failure('before write');
      if (fault === 'contention') return 'conflict';
      const outcome = tables.write(chunk);
      if (fault === 'after') throw failure('after write');
      return outcome;
    },
  };
}
