import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityEvent, storedEvents, uniqueUser } from '../../support/activity.ts';
import { drainQueue, invokeFunction, localCloud } from '../../support/cloud.ts';
import { lambdaContext, startUnprocessedProxy, type UnprocessedProxy } from '../../support/unprocessed-proxy.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const byId = (items: Array<Record<string, unknown>>) =>
  [...items].sort((a, b) => String(a.Id).localeCompare(String(b.Id)));

describe('processActivityEvents', () => {
  it('stores the valid events of a batch and sends each invalid one to the dead-letter queue with the reason', async () => {
    const user = uniqueUser('mixed');
    const event = activityEvent([
      { username: user, id: 'a1', timestamp: '2026-11-29T10:00:00+01:00', message: 'signed in' },
      '{"username":', // invalid JSON
      { userName: user, eventId: 'a2', timestamp: '2026-11-29 09:00:01', message: 'viewed the pricing page' },
      { id: 'a3', timestamp: Date.now(), message: 'no user' }, // missing field
      { user, id: 'a4', timestamp: 1795942802, message: 'x'.repeat(10 * 1024 + 1) }, // over-long message
      { user, id: 'a5', timestamp: 'Sun, 29 Nov 2026 09:00:03 GMT', message: 'added an item to the cart' },
      { user, id: 'a6', timestamp: '2099-01-01T00:00:00Z', message: 'from the future' }, // implausible time
    ]);
    const result = await invokeFunction('processActivityEvents', event);
    expect(result).toMatchObject({ ok: true, payload: { batchItemFailures: [] } });
    expect(byId(await storedEvents(user))).toEqual([
      {
        Username: user,
        Id: 'a1',
        Timestamp: '2026-11-29T09:00:00.000Z',
        TimestampMs: Date.parse('2026-11-29T09:00:00Z'),
        Message: 'signed in',
      },
      {
        Username: user,
        Id: 'a2',
        Timestamp: '2026-11-29T09:00:01.000Z',
        TimestampMs: Date.parse('2026-11-29T09:00:01Z'),
        Message: 'viewed the pricing page',
      },
      {
        Username: user,
        Id: 'a5',
        Timestamp: '2026-11-29T09:00:03.000Z',
        TimestampMs: Date.parse('2026-11-29T09:00:03Z'),
        Message: 'added an item to the cart',
      },
    ]);
    const invalid = [1, 3, 4, 6].map((index) => event.Records[index]!.kinesis.sequenceNumber);
    const letters = (await drainQueue('ActivityDeadLetterQueue')) as Array<{
      reason: string;
      sequenceNumber: string;
      shardId: string;
      record: { kinesis: { data: string } };
    }>;
    const ours = invalid.map((sequenceNumber) => letters.find((letter) => letter.sequenceNumber === sequenceNumber));
    expect(ours.map((letter) => letter?.reason)).toEqual([
      expect.stringMatching(/^invalid JSON/),
      expect.stringMatching(/username is required/),
      expect.stringMatching(/message must be at most 10240 bytes/),
      expect.stringMatching(/more than 24 h in the future/),
    ]);
    expect(ours[0]).toMatchObject({
      shardId: 'shardId-000000000000',
      record: { kinesis: { data: event.Records[1]!.kinesis.data } },
    });
  });

  it("stores what existing producers send: Twitter API v1.1 statuses as the reference did, and EventData's own names", async () => {
    const user = uniqueUser('producers');
    const event = activityEvent([
      {
        created_at: 'Sun Nov 29 09:00:00 +0000 2026',
        id: 1994653811215700000,
        id_str: '1994653811215699968',
        text: 'short…',
        truncated: true,
        user: { id_str: '42', name: user, screen_name: 'someone' },
        extended_tweet: { full_text: 'short… and the rest of a long status' },
      },
      {
        Username: user,
        Id: 'b2',
        Timestamp: '2026-11-29T09:00:01Z',
        Message: 'written by a producer that knows the table',
      },
    ]);
    const result = await invokeFunction('processActivityEvents', event);
    expect(result).toMatchObject({ ok: true, payload: { batchItemFailures: [] } });
    expect(byId(await storedEvents(user))).toEqual([
      {
        Username: user,
        Id: '1994653811215699968',
        Timestamp: '2026-11-29T09:00:00.000Z',
        TimestampMs: Date.parse('2026-11-29T09:00:00Z'),
        Message: 'short… and the rest of a long status',
      },
      {
        Username: user,
        Id: 'b2',
        Timestamp: '2026-11-29T09:00:01.000Z',
        TimestampMs: Date.parse('2026-11-29T09:00:01Z'),
        Message: 'written by a producer that knows the table',
      },
    ]);
  });

  it('leaves the same items, without duplicates, when a batch is delivered again; within a batch the last of a key wins', async () => {
    const user = uniqueUser('replay');
    const event = activityEvent([
      { username: user, id: 'r1', timestamp: '2026-11-29T09:00:00Z', message: 'first draft' },
      { username: user, id: 'r2', timestamp: 1795942801000, message: 'signed out' },
      { user, eventId: 'r1', timestamp: '2026-11-29T09:00:05Z', message: 'edited' }, // same key, later in the stream
    ]);
    expect(await invokeFunction('processActivityEvents', event)).toMatchObject({
      ok: true,
      payload: { batchItemFailures: [] },
    });
    const first = byId(await storedEvents(user));
    expect(first.map((item) => [item.Id, item.Message])).toEqual([
      ['r1', 'edited'],
      ['r2', 'signed out'],
    ]);
    for (let delivery = 0; delivery < 2; delivery += 1) {
      expect(await invokeFunction('processActivityEvents', event)).toMatchObject({
        ok: true,
        payload: { batchItemFailures: [] },
      });
    }
    expect(byId(await storedEvents(user))).toEqual(first);
  });
});

describe('processActivityEvents when DynamoDB throttles (UnprocessedItems, through a proxy that holds items back)', () => {
  let proxy: UnprocessedProxy;
  beforeAll(async () => {
    proxy = await startUnprocessedProxy(localCloud().endpoints.dynamodb);
  });
  afterAll(async () => {
    await proxy.stop();
  });

  async function handlerAgainst(endpoint: string) {
    Object.assign(process.env, localCloud().functions.processActivityEvents!.environment, {
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    });
    return (await import('../../../src/functions/activity/processActivityEvents.ts')).handler;
  }

  it('retries what was held back until every event is stored, and reports only what stays unprocessed', async () => {
    const [flaky, stuck] = [uniqueUser('flaky'), uniqueUser('stuck')];
    let heldBack = 0;
    proxy.holdBack = (item) => {
      if (item.Username === stuck) return true;
      return item.Username === flaky && heldBack++ < 30; // the first 30 puts of this user come back unprocessed
    };
    const events = Array.from({ length: 60 }, (_, i) => ({
      username: i < 50 ? flaky : stuck,
      id: `u${i}`,
      timestamp: Date.now() - i * 1000,
      message: `event ${i}`,
    }));
    const event = activityEvent(events);
    const handler = await handlerAgainst(proxy.endpoint);

    const response = await handler(event as never, lambdaContext('processActivityEvents'));

    expect(await storedEvents(flaky)).toHaveLength(50);
    expect(await storedEvents(stuck)).toHaveLength(0);
    expect(heldBack).toBeGreaterThanOrEqual(30);
    expect(response).toEqual({
      batchItemFailures: event.Records.slice(50).map((record) => ({ itemIdentifier: record.kinesis.sequenceNumber })),
    });
  });
});
