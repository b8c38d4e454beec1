import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis } from '@refarch/local-cloud';
import { drainQueue, eventually, invokeFunction } from '../../support/cloud.ts';
import {
  cloudRedis,
  coreDataChannel,
  environmentOf,
  kinesisEvent,
  programKey,
  uniqueProgram,
  updateRecord,
} from './core-support.ts';

type Redis = Awaited<ReturnType<typeof cloudRedis>>;

describe('updateCoreData (invoked with Kinesis events on the local cloud)', () => {
  let redis: Redis;
  let subscriber: Redis;
  const published: string[] = [];

  beforeAll(async () => {
    redis = await cloudRedis();
    subscriber = redis.duplicate();
    subscriber.on('error', () => {});
    await subscriber.connect();
    await subscriber.subscribe(coreDataChannel(), (message) => {
      published.push(message);
    });
  });
  afterAll(async () => {
    await subscriber?.close();
    await redis?.close();
  });

  it('stores the newest version, ignores a stale one and publishes only what it applied', async () => {
    const v2 = uniqueProgram({ version: 2, programName: 'second' });
    const v1 = { ...v2, version: 1, programName: 'first', valid: false };
    const result = await invokeFunction('updateCoreData', kinesisEvent([updateRecord(v2), updateRecord(v1)]));
    expect(result).toMatchObject({ ok: true, payload: { batchItemFailures: [] } });
    expect(await redis.hGetAll(programKey(v2.programId))).toMatchObject({
      programName: 'second',
      version: '2',
      valid: 'true',
    });
    await eventually(() =>
      expect(published.map((m) => JSON.parse(m)).filter((m) => m.programId === v2.programId)).toEqual([v2]),
    );
  });

  it('applies a batch in order: the last version of a program wins', async () => {
    const program = uniqueProgram();
    const versions = [1, 2, 3, 4].map((version) => ({ ...program, version, programName: `v${version}` }));
    await invokeFunction('updateCoreData', kinesisEvent(versions.map(updateRecord)));
    expect(await redis.hGetAll(programKey(program.programId))).toMatchObject({ programName: 'v4', version: '4' });
    await eventually(() =>
      expect(
        published
          .map((m) => JSON.parse(m))
          .filter((m) => m.programId === program.programId)
          .map((m) => m.version),
      ).toEqual([1, 2, 3, 4]),
    );
  });

  it('is idempotent: a redelivered batch changes nothing and publishes nothing more', async () => {
    const program = uniqueProgram({ version: 5 });
    const event = kinesisEvent([updateRecord(program)]);
    await invokeFunction('updateCoreData', event);
    await invokeFunction('updateCoreData', event);
    await eventually(() => expect(published.filter((m) => m.includes(program.programId))).toHaveLength(1));
  });

  it('sends invalid records to the dead-letter queue, applies the valid ones and reports no failures', async () => {
    await drainQueue('TrackingDeadLetterQueue');
    const good = uniqueProgram();
    const event = kinesisEvent([
      { partitionKey: 'x', data: '{"programId": "x", ' },
      { partitionKey: 'y', data: JSON.stringify({ ...uniqueProgram(), version: 'latest' }) },
      updateRecord(good),
    ]);
    const result = await invokeFunction('updateCoreData', event);
    expect(result).toMatchObject({ ok: true, payload: { batchItemFailures: [] } });
    expect(await redis.hGetAll(programKey(good.programId))).toMatchObject({ programId: good.programId });
    const dead = await eventually(async () => {
      const letters = (await drainQueue('TrackingDeadLetterQueue')) as Array<{
        reason: string;
        sequenceNumber: string;
      }>;
      expect(letters).toHaveLength(2);
      return letters;
    });
    expect(dead.map((letter) => letter.sequenceNumber).sort()).toEqual(
      event.Records.slice(0, 2)
        .map((record) => record.kinesis.sequenceNumber)
        .sort(),
    );
    expect(dead.map((letter) => letter.reason).sort()).toEqual([
      expect.stringMatching(/invalid JSON/),
      expect.stringMatching(/version/),
    ]);
  });
});

describe('updateCoreData when Redis is unreachable (handler in-process, pointed at a Redis this test owns)', () => {
  it('reports every update as a batch item failure, then applies them once Redis is back', async () => {
    const port = await freePort();
    Object.assign(process.env, environmentOf('updateCoreData'), {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_AUTH_SECRET: '',
    });
    const { handler } = await import('../../../src/functions/tracking/updateCoreData.ts');
    const programs = [uniqueProgram(), uniqueProgram()];
    const event = kinesisEvent(programs.map(updateRecord));
    const context = {
      functionName: 'updateCoreData',
      awsRequestId: 'test',
      getRemainingTimeInMillis: () => 10_000,
    } as never;

    const down = await handler(event, context);
    expect(down.batchItemFailures?.map((failure) => failure.itemIdentifier)).toEqual(
      event.Records.map((record) => record.kinesis.sequenceNumber),
    );

    let ownRedis = await startRedis({ port });
    try {
      expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
      expect(await versionIn(port, programs[0]!.programId)).toBe('1');

      // Redis goes away under a connected client, and comes back.
      await ownRedis.stop();
      const later = kinesisEvent([updateRecord({ ...programs[0]!, version: 2 })]);
      expect((await handler(later, context)).batchItemFailures).toHaveLength(1);
      ownRedis = await startRedis({ port });
      expect(await handler(later, context)).toEqual({ batchItemFailures: [] });
      expect(await versionIn(port, programs[0]!.programId)).toBe('2');
    } finally {
      await ownRedis.stop();
    }
  });
});

async function versionIn(port: number, programId: string): Promise<string | null> {
  const client = createClient({ url: `redis://127.0.0.1:${port}` });
  await client.connect();
  try {
    return await client.hGet(`program:${programId}`, 'version');
  } finally {
    await client.close();
  }
}
