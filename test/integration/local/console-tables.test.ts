import { describe, expect, it } from 'vitest';
import { userIdFor } from '../../support/auth.ts';
import { localCloud } from '../../support/cloud.ts';
import { castVote } from '../../support/votes.ts';

const tables = (path: string) => fetch(`${localCloud().endpoints.console}/_local/tables/${path}`);

describe('the console lists items of the stack tables', () => {
  it('shows a stored vote in VoteApp, as plain JSON, by its partition key', async () => {
    const user = `console-tables-${Date.now()}`;
    const voterId = userIdFor(user);
    expect((await castVote(user, 'RED')).status).toBe(200);
    const response = await tables(`VoteApp?key=${voterId}`);
    expect(response.status).toBe(200);
    const { table, items } = (await response.json()) as { table: string; items: Array<Record<string, unknown>> };
    expect(table).toBe(`${localCloud().stackName}-VoteApp`);
    expect(items).toEqual([expect.objectContaining({ VoterId: voterId, Candidate: 'RED', Version: 1 })]);
    // Without a key, the first items of the table, as many as asked for at most.
    const { items: some } = (await (await tables('VoteApp?limit=2')).json()) as { items: unknown[] };
    expect(some.length).toBeGreaterThan(0);
    expect(some.length).toBeLessThanOrEqual(2);
  });

  it("answers 404 for a table that is not the stack's and 400 for a bad limit", async () => {
    expect((await tables('NoSuchTable')).status).toBe(404);
    expect((await tables('VoteApp?limit=0')).status).toBe(400);
    expect((await tables('VoteApp?limit=abc')).status).toBe(400);
  });
});
