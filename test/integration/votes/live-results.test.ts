import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { awsConfig, eventually, physicalId } from '../../support/cloud.ts';
import { managementApi, openViewer, type Viewer } from '../../support/viewers.ts';
import { castVote, getResults, uniqueVoter, votesOf } from '../../support/votes.ts';

const table = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));
const connections = () => physicalId('ResultsConnections');
const opened: Viewer[] = [];

async function viewer(headers: Record<string, string> = {}): Promise<Viewer> {
  const v = await openViewer(undefined, headers);
  opened.push(v);
  return v;
}

/** The connection ids stored now (consistent scan). */
async function storedIds(): Promise<Set<string>> {
  const { Items = [] } = await table.send(new ScanCommand({ TableName: connections(), ConsistentRead: true }));
  return new Set(Items.map((item) => String(item.ConnectionId)));
}

/**
 * Opens a viewer and finds its connection id among the rows that appeared with it (other test files connect
 * too): the one whose GetConnection names this viewer's unique user agent.
 */
async function viewerWithId(): Promise<{ viewer: Viewer; connectionId: string }> {
  const before = await storedIds();
  const userAgent = `live-results-test/${uniqueVoter('ua')}`;
  const v = await viewer({ 'user-agent': userAgent });
  const api = managementApi();
  const connectionId = await eventually(async () => {
    for (const id of [...(await storedIds())].filter((stored) => !before.has(stored))) {
      const info = await api.send(new GetConnectionCommand({ ConnectionId: id })).catch(() => undefined);
      if (info?.Identity?.UserAgent === userAgent) return id;
    }
    throw new Error("this viewer's connection is not stored yet");
  });
  return { viewer: v, connectionId };
}

const lastFrame = (v: Viewer) => v.frames.at(-1);

afterEach(() => {
  for (const v of opened.splice(0)) v.socket.terminate();
});

describe('results WebSocket API (connectViewer, sendTotals, pushTotals, disconnectViewer)', () => {
  it('stores a connection on connect, with a TTL two hours on, and answers getTotals with the current totals', async () => {
    const { viewer: v, connectionId } = await viewerWithId();
    const { Item } = await table.send(
      new GetCommand({ TableName: connections(), Key: { ConnectionId: connectionId } }),
    );
    expect(Item!.ExpiresAt).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 7200 - 60);
    expect(Item!.ExpiresAt).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 7200);
    v.socket.send(JSON.stringify({ action: 'getTotals' }));
    const frame = await eventually(() => lastFrame(v) ?? Promise.reject(new Error('no frame yet')));
    expect(frame).toEqual({ type: 'totals', results: await getResults() });
  });

  it('pushes the new totals to every open viewer when a vote is counted', async () => {
    const [a, b] = [await viewer(), await viewer()];
    const before = votesOf(await getResults());
    const candidate = Object.keys(before)[0]!;
    expect((await castVote(uniqueVoter('live'), candidate)).status).toBe(200);
    for (const v of [a, b]) {
      await eventually(() => {
        const frame = lastFrame(v) as
          { type: string; results: { candidates: Array<{ candidate: string; votes: number }> } } | undefined;
        const votes = frame?.results.candidates.find((c) => c.candidate === candidate)?.votes ?? -1;
        if (votes < before[candidate]! + 1) throw new Error(`no push with the vote yet: ${JSON.stringify(frame)}`);
      });
    }
  });

  it('answers a bad frame with an error frame and keeps the connection open', async () => {
    const v = await viewer();
    const cases = [
      ['not json', 'invalid_message'],
      [JSON.stringify({ action: 'vote', candidate: 'RED' }), 'unknown_action'],
      [JSON.stringify({ action: 'getTotals', pad: 'x'.repeat(2048) }), 'message_too_large'],
    ] as const;
    for (const [body, code] of cases) {
      const count = v.frames.length;
      v.socket.send(body);
      const frame = await eventually(() => v.frames[count] ?? Promise.reject(new Error('no answer yet')));
      expect(frame).toMatchObject({ type: 'error', error: { code, message: expect.any(String) } });
    }
    expect(v.socket.readyState).toBe(v.socket.OPEN);
  });

  it('forgets a connection the client closes ($disconnect)', async () => {
    const { viewer: v, connectionId } = await viewerWithId();
    v.socket.close(1000);
    await eventually(async () => {
      if ((await storedIds()).has(connectionId)) throw new Error('still stored');
    });
  });

  it('deletes a stored connection that is gone (GoneException) on the next push', async () => {
    const goneId = `gone-${uniqueVoter('c')}`;
    await table.send(
      new PutCommand({
        TableName: connections(),
        Item: { ConnectionId: goneId, ConnectedAt: Date.now(), ExpiresAt: Math.floor(Date.now() / 1000) + 7200 },
      }),
    );
    const candidate = (await getResults()).candidates[0]!.candidate;
    expect((await castVote(uniqueVoter('gone'), candidate)).status).toBe(200);
    await eventually(async () => {
      if ((await storedIds()).has(goneId)) throw new Error('the gone connection is still stored');
    });
  });

  it('serves GetConnection, PostToConnection and DeleteConnection; a deleted connection is gone (410)', async () => {
    const { viewer: v, connectionId } = await viewerWithId();
    const api = managementApi();
    const info = await api.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    expect(info.ConnectedAt).toBeInstanceOf(Date);
    expect(info.LastActiveAt).toBeInstanceOf(Date);
    expect(info.Identity?.SourceIp).toBe('127.0.0.1');
    await api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify({ hello: 1 }) }));
    await eventually(() => (lastFrame(v)?.hello === 1 ? true : Promise.reject(new Error('not received'))));
    await api.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    expect(await v.closed).toBe(1000);
    await expect(
      api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'x' })),
    ).rejects.toBeInstanceOf(GoneException);
    await expect(api.send(new GetConnectionCommand({ ConnectionId: connectionId }))).rejects.toBeInstanceOf(
      GoneException,
    );
    await eventually(async () => {
      if ((await storedIds()).has(connectionId)) throw new Error('still stored');
    });
  });
});
