import { describe, expect, it } from 'vitest';
import { eventually, explainedByMapping } from '../support/cloud.ts';
import { castVote, getResults, uniqueVoter, votesOf } from '../support/votes.ts';

describe('voting web app, end to end: POST /votes -> VoteApp -> stream -> aggregateVotes -> GET /results', () => {
  it('counts three voters and moves a changed vote', async () => {
    const before = votesOf(await getResults());
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map(uniqueVoter);
    for (const [voter, candidate] of [
      [alice, 'RED'],
      [bob, 'GREEN'],
      [carol, 'GREEN'],
      [bob, 'BLUE'],
    ] as const) {
      expect((await castVote(voter!, candidate)).status).toBe(200);
    }
    await explainedByMapping(
      'aggregateVotes',
      eventually(async () => {
        const after = votesOf(await getResults());
        expect({
          RED: after.RED! - before.RED!,
          GREEN: after.GREEN! - before.GREEN!,
          BLUE: after.BLUE! - before.BLUE!,
        }).toEqual({ RED: 1, GREEN: 1, BLUE: 1 });
      }),
    );
  });

  it('keeps the totals equal to the number of voters when votes repeat', async () => {
    const before = await getResults();
    const voter = uniqueVoter('repeat');
    for (let i = 0; i < 3; i += 1) expect((await castVote(voter, 'RED')).status).toBe(200);
    await explainedByMapping(
      'aggregateVotes',
      eventually(async () => expect((await getResults()).total).toBe(before.total + 1)),
    );
  });
});
