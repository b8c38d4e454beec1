import { describe, expect, it } from 'vitest';
import { eventually, invokeFunction, localCloud } from '../../support/cloud.ts';
import { authHeaders, operatorHeaders } from '../../support/auth.ts';
import { publishedAlerts, sensorEvent, storedReadings, uniqueSensor } from '../../support/iot.ts';

/** A call through the local HTTP API as a signed-in operator (the IoT routes' audience). */
const api = async (path: string, init: RequestInit = {}) =>
  fetch(`${localCloud().endpoints.http}${path}`, {
    ...init,
    headers: { ...(await operatorHeaders()), ...(init.headers as Record<string, string>) },
  });
const readingsOf = async (sensorId: string, query: string) =>
  api(`/sensors/${encodeURIComponent(sensorId)}/readings?${query}`);

describe('who may call the IoT routes: signed-in operators only', () => {
  const routes: Array<[string, string, RequestInit]> = [
    [
      'POST /sensors/readings',
      '/sensors/readings',
      {
        method: 'POST',
        body: JSON.stringify({
          readings: [{ sensorId: 'refused-1', timestamp: new Date().toISOString(), humidity: 40 }],
        }),
      },
    ],
    ['GET /sensors/{sensorId}/readings', '/sensors/refused-1/readings', {}],
    ['GET /sensors/alerts', '/sensors/alerts', {}],
  ];
  const call = (path: string, init: RequestInit, headers: Record<string, string>) =>
    fetch(`${localCloud().endpoints.http}${path}`, { ...init, headers });

  it.each(routes)('%s without a token: 401 from the gateway', async (_route, path, init) => {
    const response = await call(path, init, { 'content-type': 'application/json' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
  });

  it.each(routes)('%s with a forged token: 401 from the gateway', async (_route, path, init) => {
    const { authorization } = await operatorHeaders();
    const [header, , signature] = authorization!.slice('Bearer '.length).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'x', 'cognito:groups': ['operators'] })).toString('base64url');
    const response = await call(path, init, {
      authorization: `Bearer ${header}.${forged}.${signature}`,
      'content-type': 'application/json',
    });
    expect(response.status).toBe(401);
  });

  it.each(routes)('%s signed in without the operators group: 403 forbidden', async (_route, path, init) => {
    for (const headers of [
      await authHeaders('not-an-operator'),
      await authHeaders('admin-only', { groups: ['admins', 'operators-readonly'] }),
    ]) {
      const response = await call(path, init, headers);
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        error: {
          code: 'forbidden',
          message: expect.stringContaining('operators'),
          details: { requiredGroup: 'operators' },
        },
      });
    }
  });

  it.each(routes)('%s as an operator: served', async (_route, path, init) => {
    const response = await call(path, init, await operatorHeaders());
    expect(response.status).toBeLessThan(300);
  });

  it('refuses a non-operator before reading the request: a malformed body still gets 403, not 400', async () => {
    const response = await call(
      '/sensors/readings',
      { method: 'POST', body: '{"readings":' },
      await authHeaders('not-an-operator'),
    );
    expect(response.status).toBe(403);
  });
});

describe('querySensorReadings (GET /sensors/{sensorId}/readings)', () => {
  it('GET /sensors/{id}/readings pages newest first with an opaque cursor bound to the sensor', async () => {
    const sensor = uniqueSensor('query');
    const base = Date.now() - 10 * 60_000;
    const readings = Array.from({ length: 5 }, (_, i) => ({
      sensorId: sensor,
      timestamp: base + i * 1000,
      humidity: 50 + i,
      seq: i,
    }));
    expect(await invokeFunction('storeSensorReadings', sensorEvent(readings))).toMatchObject({ ok: true });
    const from = new Date(base - 1000).toISOString();
    const first = await readingsOf(sensor, `from=${from}&limit=2`);
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { readings: Array<{ seq: number; timestamp: string }>; nextCursor?: string };
    expect(page1.readings.map((r) => r.seq)).toEqual([4, 3]);
    expect(page1.readings[0]!.timestamp).toBe(new Date(base + 4000).toISOString());
    const pages = [page1];
    while (pages.at(-1)!.nextCursor) {
      const next = await readingsOf(
        sensor,
        `from=${from}&limit=2&cursor=${encodeURIComponent(pages.at(-1)!.nextCursor!)}`,
      );
      pages.push((await next.json()) as typeof page1);
    }
    expect(pages.flatMap((page) => page.readings.map((r) => r.seq))).toEqual([4, 3, 2, 1, 0]);
    const foreign = await readingsOf(uniqueSensor('other'), `cursor=${encodeURIComponent(page1.nextCursor!)}`);
    expect(foreign.status).toBe(400);
  });

  it.each([
    ['a range that ends before it starts', 'from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z'],
    ['a limit of 0', 'limit=0'],
    ['a limit that is not a number', 'limit=ten'],
    ['a timestamp that is not one', 'from=yesterday'],
    ['a tampered cursor', 'cursor=not-a-cursor'],
  ])('answers 400 with a JSON error for %s', async (_label, query) => {
    const response = await readingsOf('sensor-1', query);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });
});

describe('publishSensorReadings (POST /sensors/readings)', () => {
  it('POST /sensors/readings puts valid readings on the stream (they get stored), and refuses a batch with a bad one', async () => {
    const sensor = uniqueSensor('post');
    const post = (readings: unknown[]) =>
      api('/sensors/readings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ readings }),
      });
    const bad = await post([
      { sensorId: sensor, timestamp: new Date().toISOString(), humidity: 40 },
      { sensorId: sensor, timestamp: 'never', humidity: 40 },
    ]);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'invalid_reading', message: expect.stringContaining('reading 1') },
    });
    const good = await post([
      { sensorId: sensor, timestamp: new Date().toISOString(), humidity: 20, temperature: 19.5, seq: 1 },
    ]);
    expect(good.status).toBe(202);
    expect(await good.json()).toEqual({ accepted: 1 });
    await eventually(async () => expect(await storedReadings(sensor)).toHaveLength(1));
    await eventually(async () => expect(await publishedAlerts(sensor)).toHaveLength(1));
    const alerts = (await (await api('/sensors/alerts')).json()) as {
      alerts: Array<{ sensorId: string; humidity: number }>;
    };
    expect(alerts.alerts.find((alert) => alert.sensorId === sensor)).toMatchObject({ humidity: 20 });
  });
});

describe('publishSensorReadings refuses readings from the future', () => {
  it('answers 400 invalid_reading for a reading more than 5 minutes ahead and puts none of the batch on the stream', async () => {
    const sensor = uniqueSensor('post-future');
    const response = await api('/sensors/readings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        readings: [
          { sensorId: sensor, timestamp: new Date().toISOString(), humidity: 40, seq: 1 },
          { sensorId: sensor, timestamp: new Date(Date.now() + 10 * 60_000).toISOString(), humidity: 40, seq: 2 },
        ],
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'invalid_reading',
        message: expect.stringMatching(/^reading 1: .*more than 5 minutes in the future/),
        details: [{ index: 1, reason: expect.stringContaining('check the device clock') }],
      },
    });
    // Nothing was put: a reading sent after it, on the same shard (partition key = sensorId), is stored alone.
    const later = await api('/sensors/readings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        readings: [{ sensorId: sensor, timestamp: new Date().toISOString(), humidity: 40, seq: 3 }],
      }),
    });
    expect(later.status).toBe(202);
    await eventually(async () => expect((await storedReadings(sensor)).map((item) => item.Seq)).toEqual([3]));
  });
});

describe('listSensorAlerts (GET /sensors/alerts)', () => {
  it('lists the latest alert of a sensor whose humidity fell below the threshold, newest first', async () => {
    const sensor = uniqueSensor('alerts');
    const event = sensorEvent([{ sensorId: sensor, timestamp: Date.now() - 30_000, humidity: 21.5 }]);
    expect(await invokeFunction('storeSensorReadings', event)).toMatchObject({
      ok: true,
      payload: { batchItemFailures: [] },
    });
    const response = await api('/sensors/alerts?limit=100');
    expect(response.status).toBe(200);
    const { alerts } = (await response.json()) as {
      alerts: Array<{ sensorId: string; humidity: number; raisedAt: string }>;
    };
    expect(alerts.find((alert) => alert.sensorId === sensor)).toMatchObject({ humidity: 21.5, threshold: 35 });
    const raised = alerts.map((alert) => alert.raisedAt);
    expect(raised).toEqual([...raised].sort().reverse());
  });
});

describe('listSensorAlerts pages (GET /sensors/alerts?limit=&cursor=)', () => {
  type Page = { alerts: Array<{ sensorId: string; raisedAt: string }>; nextCursor?: string };

  it('reads `limit` alerts per call, newest first, and the cursor leads through every page without duplicates', async () => {
    const sensors = Array.from({ length: 5 }, (_, i) => uniqueSensor(`page-${i}`));
    for (const sensor of sensors) {
      const event = sensorEvent([{ sensorId: sensor, timestamp: Date.now() - 30_000, humidity: 12 }]);
      expect(await invokeFunction('storeSensorReadings', event)).toMatchObject({
        ok: true,
        payload: { batchItemFailures: [] },
      });
    }
    const pages: Page[] = [];
    let cursor: string | undefined;
    // Other tests raise alerts too: page until all five of ours were seen (they are among the newest).
    do {
      const response = await api(`/sensors/alerts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      expect(page.alerts.length).toBeLessThanOrEqual(2);
      pages.push(page);
      cursor = page.nextCursor;
    } while (
      cursor &&
      !sensors.every((sensor) => pages.some((page) => page.alerts.some((alert) => alert.sensorId === sensor)))
    );
    const listed = pages.flatMap((page) => page.alerts);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(new Set(listed.map((alert) => alert.sensorId)).size).toBe(listed.length);
    expect(listed.filter((alert) => sensors.includes(alert.sensorId))).toHaveLength(5);
    const raised = listed.map((alert) => alert.raisedAt);
    expect(raised).toEqual([...raised].sort().reverse());
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    [`cursor=${Buffer.from('{"AlertList":"alerts","RaisedAt":"x","SensorId":"s"}').toString('base64url')}`, 'cursor'],
  ])('answers 400 invalid_query to %s', async (query, field) => {
    const response = await api(`/sensors/alerts?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_query', message: expect.any(String), details: { field } },
    });
  });
});
