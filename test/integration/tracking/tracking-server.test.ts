import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHash } from '../../../src/domain/tracking/core-data.ts';
import type { CoreData } from '../../../src/domain/tracking/core-data.ts';
import { freePort, waitForPort, startRedis } from '@refarch/local-cloud';
import { eventually, localCloud } from '../../support/cloud.ts';
import { cloudRedis, coreDataChannel, environmentOf, seedPrograms, uniqueProgram } from './core-support.ts';

const statusOf = async (baseUrl: string, programId: string) =>
  (await fetch(`${baseUrl}/event/${encodeURIComponent(programId)}`)).status;

describe('tracking server (started by the local cloud)', () => {
  const base = () => localCloud().endpoints.tracking!;
  let redis: Awaited<ReturnType<typeof cloudRedis>>;
  beforeAll(async () => {
    redis = await cloudRedis();
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('answers its health check', async () => {
    const response = await fetch(`${base()}/health/check`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers hits like trackEvent: 404 unknown, 403 invalid, 200 valid, JSON error shape', async () => {
    const [valid, invalid] = [uniqueProgram(), uniqueProgram({ valid: false })];
    await seedPrograms(valid, invalid);
    expect(await statusOf(base(), uniqueProgram().programId)).toBe(404);
    const rejected = await fetch(`${base()}/event/${invalid.programId}`);
    expect([rejected.status, await rejected.json()]).toEqual([
      403,
      { error: { code: 'program_invalid', message: expect.any(String) } },
    ]);
    const accepted = await fetch(`${base()}/event/${valid.programId}`, { headers: { 'user-agent': 'server-test' } });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({
      messageId: expect.any(String),
      programId: valid.programId,
      timestampMs: expect.any(Number),
    });
  });

  it('refreshes its cache from the channel: a pushed update applies at once, though Redis was not re-read', async () => {
    const program = uniqueProgram();
    await seedPrograms(program);
    expect(await statusOf(base(), program.programId)).toBe(200); // now cached
    // Published only: the hash in Redis still says valid, so a 403 can only come from the push.
    await redis.publish(coreDataChannel(), JSON.stringify({ ...program, valid: false, version: 2 }));
    await eventually(async () => expect(await statusOf(base(), program.programId)).toBe(403), {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
  });

  it('remembers an unknown program, and forgets that at once when the program is pushed on the channel', async () => {
    const program = uniqueProgram();
    expect(await statusOf(base(), program.programId)).toBe(404); // now marked unknown for 10 s
    // Published only, never written to Redis: a 200 can only come from the push replacing the mark.
    await redis.publish(coreDataChannel(), JSON.stringify(program));
    await eventually(async () => expect(await statusOf(base(), program.programId)).toBe(200), {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
  });

  it('resubscribes after its pub/sub connection is killed', async () => {
    const program = uniqueProgram();
    await seedPrograms(program);
    expect(await statusOf(base(), program.programId)).toBe(200);
    await redis.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    // Messages sent while it reconnects are lost (by design of pub/sub): keep publishing until one lands.
    await eventually(
      async () => {
        await redis.publish(coreDataChannel(), JSON.stringify({ ...program, valid: false, version: 2 }));
        expect(await statusOf(base(), program.programId)).toBe(403);
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
  });
});

describe('tracking server (a process this test starts, on a Redis it owns)', () => {
  let redisPort: number;
  let ownRedis: Awaited<ReturnType<typeof startRedis>>;
  let server: ChildProcess;
  let baseUrl: string;
  const output: string[] = [];

  beforeAll(async () => {
    redisPort = await freePort();
    ownRedis = await startRedis({ port: redisPort });
    const port = await freePort();
    server = spawn(process.execPath, [resolve(import.meta.dirname, '../../../src/server/tracking/main.ts')], {
      env: {
        ...environmentOf('trackEvent'),
        PATH: process.env.PATH ?? '',
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        REDIS_AUTH_SECRET: '',
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await waitForPort(port, 'tracking server');
    baseUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    await ownRedis?.stop();
  });

  async function store(program: CoreData, options: { publish: boolean }) {
    const client = createClient({ url: `redis://127.0.0.1:${redisPort}` });
    await client.connect();
    await client.hSet(`program:${program.programId}`, toHash(program));
    if (options.publish) await client.publish(coreDataChannel(), JSON.stringify(program));
    await client.close();
  }

  it('prints its URL when listening', async () => {
    // The port may accept connections a moment before the line has come through the stdout pipe.
    await eventually(async () => expect(output.join('')).toContain(`listening on ${baseUrl}`), {
      timeoutMs: 5_000,
      intervalMs: 50,
    });
  });

  it('survives a Redis restart: it resubscribes and forgets what it may have missed', async () => {
    const program = uniqueProgram();
    await store(program, { publish: false });
    expect(await statusOf(baseUrl, program.programId)).toBe(200);

    await ownRedis.stop();
    ownRedis = await startRedis({ port: redisPort });
    // The restarted Redis is empty: once reconnected, the server must not serve its stale cache.
    await eventually(async () => expect(await statusOf(baseUrl, program.programId)).toBe(404), {
      timeoutMs: 15_000,
      intervalMs: 200,
    });

    const other = uniqueProgram();
    await store(other, { publish: false });
    expect(await statusOf(baseUrl, other.programId)).toBe(200);
    await eventually(
      async () => {
        await store({ ...other, valid: false, version: 2 }, { publish: true });
        expect(await statusOf(baseUrl, other.programId)).toBe(403);
      },
      { timeoutMs: 5_000, intervalMs: 100 },
    );
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
