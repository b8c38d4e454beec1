import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkPlan, deltasOf, planAggregation } from '../../../src/domain/votes/aggregation.ts';
import type { AppliedVote, VoterUpdate } from '../../../src/domain/votes/aggregation.ts';
import type { VoteChange } from '../../../src/domain/votes/vote-change.ts';

let sequence = 0;
const change = (voterId: string, version: number, candidate: string | null): VoteChange => ({
  voterId,
  version,
  candidate,
  sequenceNumber: String(++sequence),
});
const applied = (...votes: AppliedVote[]) => new Map(votes.map((vote) => [vote.voterId, vote]));

describe('planAggregation', () => {
  it('counts new voters and moves changed votes', () => {
    const plan = planAggregation(
      [change('a', 1, 'RED'), change('b', 1, 'RED'), change('b', 2, 'GREEN'), change('c', 3, 'BLUE')],
      applied({ voterId: 'c', version: 2, candidate: 'RED' }),
    );
    expect(plan.updates).toEqual([
      { voterId: 'a', readVersion: null, version: 1, candidate: 'RED', previousCandidate: null },
      { voterId: 'b', readVersion: null, version: 2, candidate: 'GREEN', previousCandidate: null },
      { voterId: 'c', readVersion: 2, version: 3, candidate: 'BLUE', previousCandidate: 'RED' },
    ]);
    expect(plan.deltas).toEqual([
      { candidate: 'BLUE', delta: 1 },
      { candidate: 'GREEN', delta: 1 },
    ]);
  });

  it('ignores changes no newer than the applied vote (replays, stale records)', () => {
    const plan = planAggregation(
      [change('a', 1, 'RED'), change('a', 2, 'BLUE'), change('a', 2, 'BLUE')],
      applied({ voterId: 'a', version: 2, candidate: 'BLUE' }),
    );
    expect(plan).toEqual({ updates: [], deltas: [] });
  });

  it('keeps the newest change of a voter whatever the order of the records', () => {
    const plan = planAggregation([change('a', 3, 'GREEN'), change('a', 1, 'RED'), change('a', 2, 'BLUE')], applied());
    expect(plan.updates).toEqual([
      { voterId: 'a', readVersion: null, version: 3, candidate: 'GREEN', previousCandidate: null },
    ]);
  });

  it('moves the version but not the totals when the voter came back to the same candidate', () => {
    const plan = planAggregation([change('a', 4, 'RED')], applied({ voterId: 'a', version: 2, candidate: 'RED' }));
    expect(plan.updates).toHaveLength(1);
    expect(plan.deltas).toEqual([]);
  });

  it('uncounts a removed vote', () => {
    const plan = planAggregation([change('a', 3, null)], applied({ voterId: 'a', version: 2, candidate: 'RED' }));
    expect(plan.deltas).toEqual([{ candidate: 'RED', delta: -1 }]);
  });
});

describe('chunkPlan', () => {
  const update = (voterId: string, candidate: string, previousCandidate: string | null = null): VoterUpdate => ({
    voterId,
    readVersion: null,
    version: 1,
    candidate,
    previousCandidate,
  });

  it('fits 97 voters and 3 candidates in one transaction of 100 actions', () => {
    const updates = Array.from({ length: 97 }, (_, i) => update(`v${i}`, ['RED', 'GREEN', 'BLUE'][i % 3]!));
    expect(chunkPlan(updates)).toHaveLength(1);
    expect(chunkPlan([...updates, update('v97', 'RED')])).toHaveLength(2);
  });

  it('never exceeds the action limit, and the chunks add up to the plan', () => {
    const candidates = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
    const updates = fc
      .array(
        fc.record({ candidate: fc.constantFrom(...candidates), previous: fc.option(fc.constantFrom(...candidates)) }),
        { maxLength: 300 },
      )
      .map((rows) => rows.map((row, i) => update(`v${i}`, row.candidate, row.previous)));
    fc.assert(
      fc.property(updates, fc.integer({ min: 3, max: 100 }), (all, maxActions) => {
        const chunks = chunkPlan(all, maxActions);
        for (const chunk of chunks) expect(chunk.updates.length + chunk.deltas.length).toBeLessThanOrEqual(maxActions);
        expect(chunks.flatMap((chunk) => chunk.updates)).toEqual(all);
        const summed = new Map<string, number>();
        for (const { candidate, delta } of chunks.flatMap((chunk) => chunk.deltas))
          summed.set(candidate, (summed.get(candidate) ?? 0) + delta);
        expect([...summed].filter(([, delta]) => delta !== 0).sort()).toEqual(
          deltasOf(all).map(({ candidate, delta }) => [candidate, delta]),
        );
      }),
    );
  });
});
