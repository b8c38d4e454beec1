import { describe, expect, it } from 'vitest';
import { drainQueue, invokeFunction } from '../../support/cloud.ts';
import { getResults, uniqueVoter, voteStreamRecord, votesOf } from '../../support/votes.ts';

/** A VoteApp stream record whose images hold [candidate, version], as Lambda delivers it. */
function streamRecord(
  eventName: 'INSERT' | 'MODIFY',
  voterId: string,
  next: [string, number],
  previous?: [string, number],
) {
  const image = ([Candidate, Version]: [string, number]) => ({ VoterId: voterId, Candidate, Version });
  return voteStreamRecord(eventName, voterId, { new: image(next), ...(previous ? { old: image(previous) } : {}) });
}

describe('aggregateVotes (invoked with stream events on the local cloud)', () => {
  it('applies a batch once, however often it is delivered', async () => {
    const [a, b] = [uniqueVoter('agg'), uniqueVoter('agg')];
    const event = {
      Records: [
        streamRecord('INSERT', a, ['RED', 1]),
        streamRecord('INSERT', b, ['RED', 1]),
        streamRecord('MODIFY', b, ['GREEN', 2], ['RED', 1]),
      ],
    };
    const before = votesOf(await getResults());
    for (let delivery = 0; delivery < 3; delivery += 1) {
      const result = await invokeFunction('aggregateVotes', event);
      expect(result).toMatchObject({ ok: true, payload: { batchItemFailures: [] } });
    }
    const after = votesOf(await getResults());
    expect(after.RED! - before.RED!).toBe(1);
    expect(after.GREEN! - before.GREEN!).toBe(1);
  });

  it('ignores a stale record delivered after a newer one', async () => {
    const voter = uniqueVoter('stale');
    const insert = streamRecord('INSERT', voter, ['BLUE', 1]);
    const change = streamRecord('MODIFY', voter, ['RED', 2], ['BLUE', 1]);
    const before = votesOf(await getResults());
    await invokeFunction('aggregateVotes', { Records: [change] });
    await invokeFunction('aggregateVotes', { Records: [insert] });
    const after = votesOf(await getResults());
    expect([after.RED! - before.RED!, after.BLUE! - before.BLUE!]).toEqual([1, 0]);
  });

  it('sends a record that can never be applied to the dead-letter queue and applies the rest', async () => {
    await drainQueue('VotesDeadLetterQueue');
    const good = uniqueVoter('good');
    const poison = streamRecord('INSERT', uniqueVoter('poison'), ['RED', 1]);
    delete (poison.dynamodb.NewImage as Record<string, unknown>).Version;
    const before = votesOf(await getResults());
    const result = await invokeFunction('aggregateVotes', {
      Records: [poison, streamRecord('INSERT', good, ['GREEN', 1])],
    });
    expect(result).toMatchObject({ ok: true, payload: { batchItemFailures: [] } });
    expect(votesOf(await getResults()).GREEN! - before.GREEN!).toBe(1);
    const dead = (await drainQueue('VotesDeadLetterQueue')) as Array<{ reason: string; sequenceNumber: string }>;
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      sequenceNumber: poison.dynamodb.SequenceNumber,
      reason: expect.stringMatching(/version/i),
    });
  });
});
