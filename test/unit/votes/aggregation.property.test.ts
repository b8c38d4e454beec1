import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkPlan, planAggregation } from '../../../src/domain/votes/aggregation.ts';
import { applyVoteChanges } from '../../../src/domain/votes/apply-aggregation.ts';
import type { AggregationStore } from '../../../src/domain/votes/apply-aggregation.ts';
import type { VoteChange } from '../../../src/domain/votes/vote-change.ts';
import { faultyStore, MemoryTables, voteHistory } from '../support/votes-model.ts';
import type { Ballot, Fault } from '../support/votes-model.ts';

const CANDIDATES = ['RED', 'GREEN', 'BLUE'];

/** Votes and vote changes by up to 12 voters; now and then a voter's item is removed. */
const ballots = fc.array(
  fc.record({
    voter: fc.nat({ max: 11 }),
    candidate: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...CANDIDATES) },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
  }),
  { minLength: 1, maxLength: 60 },
) as fc.Arbitrary<Ballot[]>;

const faults = fc.array(fc.constantFrom<Fault>('none', 'none', 'before', 'after', 'contention'), { maxLength: 30 });

/** What the poller does after an invocation, beyond Lambda's normal ReportBatchItemFailures handling. */
type Delivery = 'normal' | 'redeliver' | 'crash' | 'rewind';
const deliveries = fc.array(fc.constantFrom<Delivery>('normal', 'normal', 'redeliver', 'crash', 'rewind'), {
  maxLength: 12,
});

describe('vote totals are exact (property)', () => {
  it('planAggregation: any deliveries of the records, with duplicates, any order and half-applied batches, end at the truth', () => {
    // Stray deliveries (any records, possibly stale, possibly half-applied) interleaved with the
    // deliveries that succeed: every record in one of five groups, each group one successful batch.
    const strays = fc.array(
      fc.record({
        at: fc.nat({ max: 99 }),
        picks: fc.array(fc.nat(), { maxLength: 20 }),
        appliedChunks: fc.option(fc.nat({ max: 4 })),
      }),
      { maxLength: 15 },
    );
    const groups = fc.record({
      groupOf: fc.array(fc.nat({ max: 4 }), { maxLength: 60 }),
      order: fc.array(fc.nat(), { maxLength: 60 }),
      at: fc.array(fc.nat({ max: 99 }), { minLength: 5, maxLength: 5 }),
    });
    fc.assert(
      fc.property(
        ballots,
        strays,
        groups,
        fc.integer({ min: 3, max: 8 }),
        (votes, strayBatches, { groupOf, order, at }, maxActions) => {
          const { changes, truth } = voteHistory(votes);
          const tables = new MemoryTables();
          // Each group in any order: records of several shards may be interleaved in any way.
          const shuffled = changes
            .map((change, i) => ({ change, key: order[i] ?? 0 }))
            .sort((a, b) => a.key - b.key)
            .map(({ change }) => change);
          const successful = at.map((position, group) => ({
            at: position,
            batch: shuffled.filter((change) => (groupOf[changes.indexOf(change)] ?? 0) === group),
            appliedChunks: null,
          }));
          const stray =
            changes.length === 0
              ? []
              : strayBatches.map(({ at: position, picks, appliedChunks }) => ({
                  at: position,
                  batch: picks.map((pick) => changes[pick % changes.length]!),
                  appliedChunks,
                }));
          for (const { batch, appliedChunks } of [...successful, ...stray].sort((a, b) => a.at - b.at)) {
            const chunks = chunkPlan(planAggregation(batch, tables.applied).updates, maxActions);
            // A crash after the first `appliedChunks` transactions leaves exactly those written.
            for (const chunk of chunks.slice(0, appliedChunks ?? chunks.length))
              expect(tables.write(chunk)).toBe('applied');
          }
          expect(tables.nonZeroTotals()).toEqual(truth);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('applyVoteChanges: shards polled concurrently, with faults, retries, crashes and replays, end at the truth', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        ballots,
        fc.array(fc.nat({ max: 2 }), { maxLength: 60 }),
        faults,
        fc.array(deliveries, { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 3, max: 8 }),
        fc.integer({ min: 1, max: 3 }),
        async (scheduler, votes, shardOf, storeFaults, shardDeliveries, batchSize, maxActions, maxRounds) => {
          const { changes, truth } = voteHistory(votes);
          const tables = new MemoryTables();
          const store = scheduledStore(scheduler, faultyStore(tables, storeFaults));
          // Records spread over three shards, even records of one voter (the harshest case: after a
          // shard split a voter's records are in two shards).
          const shards = [0, 1, 2].map((shard) => changes.filter((_change, i) => (shardOf[i] ?? 0) === shard));
          const invoke = (batch: VoteChange[]) => applyVoteChanges(batch, store, { maxActions, maxRounds });
          await scheduler.waitFor(
            Promise.all(shards.map((records, i) => pollShard(records, batchSize, shardDeliveries[i]!, invoke))),
          );
          expect(tables.nonZeroTotals()).toEqual(truth);
        },
      ),
      { numRuns: 200 },
    );
  });
});

/**
 * Lambda's poller for one shard with ReportBatchItemFailures: delivers batches in order and, after a
 * partial failure, resumes from the lowest failed sequence number. `deliveries` adds at-least-once
 * behaviour: the same batch delivered again, a crash (the invocation's result is lost and the whole
 * batch retried, whatever it had written), a replay from an earlier position.
 */
async function pollShard(
  records: VoteChange[],
  batchSize: number,
  deliveries: Delivery[],
  invoke: (batch: VoteChange[]) => Promise<string[]>,
) {
  let position = 0;
  for (let step = 0; position < records.length; step += 1) {
    if (step > 1_000) throw new Error('the shard makes no progress');
    const batch = records.slice(position, position + batchSize);
    const failed = new Set(await invoke(batch));
    const delivery = deliveries[step] ?? 'normal';
    if (delivery === 'redeliver' || delivery === 'crash') continue;
    if (delivery === 'rewind') {
      position = Math.max(0, position - batchSize);
      continue;
    }
    const firstFailed = batch.findIndex((change) => failed.has(change.sequenceNumber));
    position += firstFailed === -1 ? batch.length : firstFailed;
  }
}

/** The store with every call released by the fast-check scheduler, so concurrent invocations interleave in any order. */
function scheduledStore(scheduler: fc.Scheduler, store: AggregationStore): AggregationStore {
  return {
    readApplied: scheduler.scheduleFunction(async (voterIds: readonly string[]) => store.readApplied(voterIds)),
    writeChunk: scheduler.scheduleFunction(async (chunk: Parameters<AggregationStore['writeChunk']>[0]) =>
      store.writeChunk(chunk),
    ),
  };
}
