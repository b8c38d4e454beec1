import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebSocketGateway, type GatewayOptions } from './index.ts';

/** A gateway whose functions are stand-ins recording their events; `answers` gives a route's status code. */
function gatewayWith(options: GatewayOptions, answers: Record<string, number> = {}) {
  const events: Array<{ functionName: string; event: { requestContext: Record<string, unknown> } }> = [];
  const routes = new Map([
    ['$connect', 'connect'],
    ['$disconnect', 'disconnect'],
    ['$default', 'fallback'],
    ['getTotals', 'totals'],
  ]);
  const gateway = new WebSocketGateway(
    { logicalId: 'WebsocketsApi', apiId: 'abc123', routeSelectionExpression: '$request.body.action', routes },
    options,
  );
  gateway.attach({
    invoke: async (functionName, event) => {
      events.push({ functionName, event: event as { requestContext: Record<string, unknown> } });
      if (answers[functionName] === -1) return { ok: false, timedOut: false, error: { errorMessage: 'boom' } };
      return { ok: true, payload: { statusCode: answers[functionName] ?? 200 } };
    },
  });
  return { gateway, events };
}

const gateways: WebSocketGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.stop()));
});

async function started(options: GatewayOptions = {}, answers: Record<string, number> = {}) {
  const made = gatewayWith(options, answers);
  gateways.push(made.gateway);
  return { ...made, url: `${await made.gateway.listen()}/test` };
}

function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const socket = new WebSocket(`${url}?viewer=1`, { headers });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
};

describe('local WebSocket gateway', () => {
  it('runs $connect with the upgrade request, routes messages by action ($default otherwise), and $disconnect on close', async () => {
    const { url, events } = await started();
    const socket = await connect(url, { 'user-agent': 'test-agent' });
    socket.send('{"action":"getTotals"}');
    socket.send('plain text');
    await until(() => events.length === 3);
    socket.close(1000, 'bye');
    await until(() => events.length === 4);
    const [connect_, totals, fallback, disconnect] = events;
    expect(connect_).toMatchObject({
      functionName: 'connect',
      event: {
        headers: { 'user-agent': 'test-agent' },
        queryStringParameters: { viewer: '1' },
        requestContext: {
          routeKey: '$connect',
          eventType: 'CONNECT',
          stage: 'test',
          apiId: 'abc123',
          identity: { sourceIp: '127.0.0.1', userAgent: 'test-agent' },
        },
      },
    });
    const { connectionId, connectedAt } = connect_!.event.requestContext;
    expect(typeof connectionId).toBe('string');
    expect(typeof connectedAt).toBe('number');
    expect(totals).toMatchObject({
      functionName: 'totals',
      event: {
        body: '{"action":"getTotals"}',
        isBase64Encoded: false,
        requestContext: { routeKey: 'getTotals', eventType: 'MESSAGE', connectionId, connectedAt },
      },
    });
    expect(fallback).toMatchObject({
      functionName: 'fallback',
      event: { body: 'plain text', requestContext: { routeKey: '$default', connectionId } },
    });
    expect(disconnect).toMatchObject({
      functionName: 'disconnect',
      event: {
        requestContext: { routeKey: '$disconnect', eventType: 'DISCONNECT', connectionId, disconnectStatusCode: 1000 },
      },
    });
  });

  it('refuses the upgrade when $connect answers non-2xx, or fails', async () => {
    for (const answer of [403, -1]) {
      const { url, gateway } = await started({}, { connect: answer });
      await expect(connect(url)).rejects.toThrow(`Unexpected server response: ${answer === -1 ? 500 : 403}`);
      expect(gateway.connections.size).toBe(0);
    }
  });

  it("tells the client when a message's function fails, as API Gateway does", async () => {
    const { url } = await started({}, { totals: -1 });
    const socket = await connect(url);
    const frame = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send('{"action":"getTotals"}');
    expect(JSON.parse(await frame)).toMatchObject({
      message: 'Internal server error',
      connectionId: expect.any(String),
    });
    socket.terminate();
  });

  it('closes a connection idle for the idle timeout (1001) and runs $disconnect; messages keep it open', async () => {
    const { url, events } = await started({ idleTimeoutMs: 300 });
    const socket = await connect(url);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    for (let i = 0; i < 4; i += 1) {
      await new Promise((r) => setTimeout(r, 150));
      socket.send('{"action":"getTotals"}');
    }
    expect(socket.readyState).toBe(socket.OPEN);
    expect(await closed).toBe(1001);
    await until(() => events.some((e) => e.functionName === 'disconnect'));
  });

  it('closes every connection at the connection limit, active or not', async () => {
    const { url } = await started({ maxConnectionMs: 300 });
    const socket = await connect(url);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    const chatter = setInterval(() => socket.send('{"action":"getTotals"}'), 50);
    expect(await closed).toBe(1001);
    clearInterval(chatter);
  });

  it('refuses a foreign Host (DNS rebinding), for upgrades and the @connections API', async () => {
    const { url } = await started();
    await expect(connect(url, { host: 'evil.example' })).rejects.toThrow('Unexpected server response: 403');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`${url.replace('ws:', 'http:')}/@connections/x`, { headers: { host: 'evil.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).on('error', reject);
    });
    expect(status).toBe(403);
  });
});
