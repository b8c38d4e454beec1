import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchOutcome, type BatchOutcome } from './batch-outcome.ts';
import { planAfterInvocation, retryBackoffMs, type PlannedBatch, type RetryPolicy } from './retry-plan.ts';
import type { InvocationResult } from '../runtime/index.ts';

const seqs = ['101', '102', '103', '104'];
const ok = (payload: unknown): InvocationResult => ({ ok: true, payload, durationMs: 1, requestId: 'r' });
const failed: InvocationResult = {
  ok: false,
  error: { errorType: 'Error', errorMessage: 'boom' },
  timedOut: false,
  durationMs: 1,
  requestId: 'r',
};

describe('batchOutcome (ReportBatchItemFailures)', () => {
  it('treats an empty or missing answer as complete success', () => {
    for (const payload of [null, undefined, {}, { batchItemFailures: [] }, { batchItemFailures: null }, 'done']) {
      expect(batchOutcome(ok(payload), seqs, true)).toEqual({ kind: 'success' });
    }
  });

  it('resumes from the lowest failed sequence number, whatever the order of the list', () => {
    const payload = { batchItemFailures: [{ itemIdentifier: '104' }, { itemIdentifier: '102' }] };
    expect(batchOutcome(ok(payload), seqs, true)).toEqual({ kind: 'partial', failedIndex: 1 });
  });

  it('fails the whole batch for an empty, missing or unknown itemIdentifier', () => {
    for (const failure of [
      { itemIdentifier: '' },
      { itemIdentifier: null },
      {},
      { ItemIdentifier: '102' },
      { itemIdentifier: '999' },
      null,
    ]) {
      expect(batchOutcome(ok({ batchItemFailures: [failure] }), seqs, true)).toMatchObject({ kind: 'failure' });
    }
    expect(batchOutcome(ok({ batchItemFailures: 'all' }), seqs, true)).toMatchObject({ kind: 'failure' });
  });

  it('ignores batchItemFailures unless the mapping reports them', () => {
    expect(batchOutcome(ok({ batchItemFailures: [{ itemIdentifier: '102' }] }), seqs, false)).toEqual({
      kind: 'success',
    });
  });

  it('is a failure when the function errs or times out', () => {
    expect(batchOutcome(failed, seqs, true)).toEqual({ kind: 'failure', reason: 'Error: boom', timedOut: false });
    expect(batchOutcome({ ...failed, timedOut: true }, seqs, false)).toMatchObject({ kind: 'failure', timedOut: true });
  });
});

const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  bisectBatchOnFunctionError: false,
  maximumRetryAttempts: 2,
  ...overrides,
});
const failure: BatchOutcome = { kind: 'failure', reason: 'x', timedOut: false };

describe('planAfterInvocation', () => {
  it('checkpoints the whole batch on success', () => {
    expect(planAfterInvocation({ size: 10, retries: 0 }, { kind: 'success' }, policy())).toEqual({
      done: 10,
      discard: 0,
      retry: [],
    });
  });

  it('retries a failed batch as it is, and gives it up after maximumRetryAttempts retries', () => {
    expect(planAfterInvocation({ size: 10, retries: 0 }, failure, policy())).toEqual({
      done: 0,
      discard: 0,
      retry: [{ size: 10, retries: 1 }],
    });
    expect(planAfterInvocation({ size: 10, retries: 2 }, failure, policy())).toEqual({
      done: 10 - 10,
      discard: 10,
      retry: [],
    });
  });

  it('retries forever with maximumRetryAttempts -1', () => {
    expect(planAfterInvocation({ size: 3, retries: 1000 }, failure, policy({ maximumRetryAttempts: -1 }))).toEqual({
      done: 0,
      discard: 0,
      retry: [{ size: 3, retries: 1001 }],
    });
  });

  it('checkpoints before the lowest failed record and retries from it', () => {
    expect(planAfterInvocation({ size: 10, retries: 0 }, { kind: 'partial', failedIndex: 4 }, policy())).toEqual({
      done: 4,
      discard: 0,
      retry: [{ size: 6, retries: 1 }],
    });
    expect(planAfterInvocation({ size: 10, retries: 2 }, { kind: 'partial', failedIndex: 4 }, policy())).toEqual({
      done: 4,
      discard: 6,
      retry: [],
    });
  });

  it('bisects a failed batch into halves without spending a retry', () => {
    expect(planAfterInvocation({ size: 9, retries: 0 }, failure, policy({ bisectBatchOnFunctionError: true }))).toEqual(
      {
        done: 0,
        discard: 0,
        retry: [
          { size: 5, retries: 0 },
          { size: 4, retries: 0 },
        ],
      },
    );
  });

  it('with bisect, splits a partial failure at the returned sequence number', () => {
    expect(
      planAfterInvocation(
        { size: 10, retries: 1 },
        { kind: 'partial', failedIndex: 7 },
        policy({ bisectBatchOnFunctionError: true }),
      ),
    ).toEqual({ done: 7, discard: 0, retry: [{ size: 3, retries: 1 }] });
  });

  it('with bisect, counts retries once a single record is left', () => {
    const bisect = policy({ bisectBatchOnFunctionError: true, maximumRetryAttempts: 1 });
    expect(planAfterInvocation({ size: 1, retries: 0 }, failure, bisect)).toEqual({
      done: 0,
      discard: 0,
      retry: [{ size: 1, retries: 1 }],
    });
    expect(planAfterInvocation({ size: 1, retries: 1 }, failure, bisect)).toEqual({ done: 0, discard: 1, retry: [] });
  });

  it('accounts for every record of the batch exactly once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        fc.integer({ min: -1, max: 5 }),
        fc.nat(),
        (size, retries, bisect, maximumRetryAttempts, failedAt) => {
          const outcome: BatchOutcome =
            failedAt % 3 === 0 ? failure : { kind: 'partial', failedIndex: failedAt % size };
          const plan = planAfterInvocation({ size, retries }, outcome, {
            bisectBatchOnFunctionError: bisect,
            maximumRetryAttempts,
          });
          expect(plan.done + plan.discard + plan.retry.reduce((sum, b) => sum + b.size, 0)).toBe(size);
          expect(plan.retry.every((b) => b.size > 0)).toBe(true);
        },
      ),
    );
  });

  it('isolates one poison record: it alone is given up, every other record is processed exactly once', () => {
    // Simulates the shard loop with a function that processes records in order and stops at the
    // poison record, reporting it (ReportBatchItemFailures) or throwing.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.nat(),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        (size, p, report, maxRetries) => {
          const poison = p % size;
          const processed = new Array<number>(size).fill(0);
          const discarded: number[] = [];
          let offset = 0;
          let pending: PlannedBatch[] = [{ size, retries: 0 }];
          let invocations = 0;
          while (pending.length > 0) {
            const batch = pending[0]!;
            invocations += 1;
            const end = offset + batch.size;
            const stop = poison >= offset && poison < end ? poison : end;
            if (report) for (let i = offset; i < stop; i += 1) processed[i]! += 1;
            const outcome: BatchOutcome =
              stop === end ? { kind: 'success' } : report ? { kind: 'partial', failedIndex: stop - offset } : failure;
            if (!report && stop === end) for (let i = offset; i < end; i += 1) processed[i]! += 1;
            const plan = planAfterInvocation(batch, outcome, {
              bisectBatchOnFunctionError: true,
              maximumRetryAttempts: maxRetries,
            });
            for (let i = 0; i < plan.discard; i += 1) discarded.push(offset + plan.done + i);
            offset += plan.done + plan.discard;
            pending = [...plan.retry, ...pending.slice(1)];
            expect(invocations).toBeLessThan(1000);
          }
          expect(discarded).toEqual([poison]);
          expect(processed.filter((count, i) => i !== poison && count !== 1)).toEqual([]);
        },
      ),
    );
  });

  it('backs off between counted retries, up to 5 s', () => {
    expect([1, 2, 3, 4, 10].map(retryBackoffMs)).toEqual([100, 200, 400, 800, 5000]);
  });
});
