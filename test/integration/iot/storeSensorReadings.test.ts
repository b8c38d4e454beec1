import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainQueue, invokeFunction, localCloud } from '../../support/cloud.ts';
import {
  alertState,
  minutesAgo,
  publishedAlerts,
  sensorEvent,
  storedReadings,
  uniqueSensor,
} from '../../support/iot.ts';
import { lambdaContext, startUnprocessedProxy, type UnprocessedProxy } from '../../support/unprocessed-proxy.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

describe('storeSensorReadings', () => {
  it('stores the valid readings of a batch and sends each invalid one to the dead-letter queue with the reason', async () => {
    const sensor = uniqueSensor('store');
    const event = sensorEvent([
      { sensorId: sensor, timestamp: minutesAgo(3), humidity: 45.5, temperature: 21.5, seq: 1 },
      '{"sensorId":',
      { sensorId: sensor, timestamp: minutesAgo(2), humidity: 150, seq: 2 },
      { sensorId: sensor, timestamp: Date.now() - 60_000, temperature: 22.1, seq: 3 },
    ]);
    const result = await invokeFunction('storeSensorReadings', event);
    expect(result).toMatchObject({ ok: true, payload: { batchItemFailures: [] } });
    const items = await storedReadings(sensor);
    expect(items.map((item) => item.Seq).sort()).toEqual([1, 3]);
    const letters = (await drainQueue('IotDeadLetterQueue')) as Array<{ reason: string; sequenceNumber: string }>;
    const ours = letters.filter((letter) =>
      [event.Records[1]!, event.Records[2]!].some((r) => r.kinesis.sequenceNumber === letter.sequenceNumber),
    );
    expect(ours).toHaveLength(2);
    expect(ours.map((letter) => letter.reason).join(' | ')).toMatch(/JSON/);
    expect(ours.map((letter) => letter.reason).join(' | ')).toMatch(/humidity/);
  });

  it('dead-letters a reading from more than 5 minutes ahead with the reason, stores the valid one, and raises no alert for it', async () => {
    const sensor = uniqueSensor('future');
    const event = sensorEvent([
      { sensorId: sensor, timestamp: minutesAgo(1), humidity: 50, seq: 1 },
      // Low humidity an hour ahead: accepted, it would claim an alert window that has not begun.
      { sensorId: sensor, timestamp: new Date(Date.now() + 60 * 60_000).toISOString(), humidity: 10, seq: 2 },
    ]);
    expect(await invokeFunction('storeSensorReadings', event)).toMatchObject({
      ok: true,
      payload: { batchItemFailures: [] },
    });
    expect((await storedReadings(sensor)).map((item) => item.Seq)).toEqual([1]);
    expect(await alertState(sensor)).toBeUndefined();
    expect(await publishedAlerts(sensor)).toEqual([]);
    const letters = (await drainQueue('IotDeadLetterQueue')) as Array<{ reason: string; sequenceNumber: string }>;
    expect(letters.filter((letter) => letter.sequenceNumber === event.Records[1]!.kinesis.sequenceNumber)).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/timestamp is more than 5 minutes in the future/) }),
    ]);
  });

  it('stores a replayed batch once and raises its low-humidity alert once', async () => {
    const sensor = uniqueSensor('replay');
    const event = sensorEvent([
      { sensorId: sensor, timestamp: minutesAgo(2), humidity: 40, seq: 1 },
      { sensorId: sensor, timestamp: minutesAgo(1), humidity: 30.5, seq: 2 }, // below 35: an alert
      { sensorId: sensor, timestamp: minutesAgo(0.5), humidity: 29, seq: 3 }, // same window: no second alert
    ]);
    for (let delivery = 0; delivery < 3; delivery += 1) {
      expect(await invokeFunction('storeSensorReadings', event)).toMatchObject({
        ok: true,
        payload: { batchItemFailures: [] },
      });
    }
    expect(await storedReadings(sensor)).toHaveLength(3);
    const alerts = await publishedAlerts(sensor);
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0]!.message)).toMatchObject({ sensorId: sensor, humidity: 30.5 });
    expect(await alertState(sensor)).toMatchObject({ Humidity: 30.5 });
  });
});

describe('storeSensorReadings when DynamoDB throttles (UnprocessedItems, through a proxy that holds items back)', () => {
  let proxy: UnprocessedProxy;
  beforeAll(async () => {
    proxy = await startUnprocessedProxy(localCloud().endpoints.dynamodb);
  });
  afterAll(async () => {
    await proxy.stop();
  });

  async function handlerAgainst(endpoint: string) {
    Object.assign(process.env, localCloud().functions.storeSensorReadings!.environment, {
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    });
    return (await import('../../../src/functions/iot/storeSensorReadings.ts')).handler;
  }

  it('retries what was held back until every reading is stored, and reports only what stays unprocessed', async () => {
    const [flaky, stuck] = [uniqueSensor('flaky'), uniqueSensor('stuck')];
    let heldBack = 0;
    proxy.holdBack = (item) => {
      if (item.SensorId === stuck) return true;
      return item.SensorId === flaky && heldBack++ < 30; // the first 30 puts of this sensor come back unprocessed
    };
    const readings = Array.from({ length: 60 }, (_, i) => ({
      sensorId: i < 50 ? flaky : stuck,
      timestamp: Date.now() - (i + 1) * 1000,
      humidity: 50,
      seq: i,
    }));
    const event = sensorEvent(readings);
    const handler = await handlerAgainst(proxy.endpoint);

    const response = await handler(event as never, lambdaContext('storeSensorReadings'));

    expect(await storedReadings(flaky)).toHaveLength(50);
    expect(heldBack).toBeGreaterThanOrEqual(30);
    const stuckSequence = event.Records.slice(50).map((record) => ({ itemIdentifier: record.kinesis.sequenceNumber }));
    expect(response).toEqual({ batchItemFailures: stuckSequence });
  });
});
