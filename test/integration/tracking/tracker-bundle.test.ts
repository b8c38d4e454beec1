import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTracker } from '../../../scripts/build-tracker.ts';
import { freePort, waitForPort } from '@refarch/local-cloud';
import { awsConfig, eventually, physicalId } from '../../support/cloud.ts';
import { environmentOf, seedPrograms, uniqueProgram } from './core-support.ts';
import { streamTail } from './stream-reader.ts';

// What the container image runs (Dockerfile): the single-file bundle of `npm run build:tracker`, started with plain
// node from a folder without node_modules, with the environment the local cloud gives trackEvent.
describe('the tracker bundle (dist/tracker/server.mjs) on the local cloud', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracker-bundle-'));
  let server: ChildProcess;
  let baseUrl: string;
  const output: string[] = [];

  beforeAll(async () => {
    copyFileSync(await buildTracker(), join(dir, 'server.mjs'));
    const port = await freePort();
    server = spawn(process.execPath, [join(dir, 'server.mjs')], {
      cwd: dir,
      env: { ...environmentOf('trackEvent'), PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await waitForPort(port, 'tracker bundle');
    baseUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers its health check', async () => {
    const response = await fetch(`${baseUrl}/health/check`);
    expect([response.status, await response.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('answers a hit on a valid program, with the event on TrackingEventStream and then in TrackingEvents', async () => {
    const program = uniqueProgram();
    await seedPrograms(program);
    const tail = await streamTail('TrackingEventStream');
    try {
      const response = await fetch(`${baseUrl}/event/${program.programId}`, {
        headers: { 'user-agent': 'bundle-test' },
      });
      expect(response.status, output.join('')).toBe(200);
      const { messageId } = (await response.json()) as { messageId: string };
      // Accepted by Kinesis before the answer: the record is on the stream at once.
      expect((await tail.records()).map((record) => record.partitionKey)).toContain(messageId);
      const dynamodb = new DynamoDBClient(awsConfig('dynamodb'));
      try {
        await eventually(
          async () => {
            const { Item } = await dynamodb.send(
              new GetItemCommand({ TableName: physicalId('TrackingEvents'), Key: { MessageId: { S: messageId } } }),
            );
            expect(Item?.MessageId?.S).toBe(messageId);
          },
          { timeoutMs: 30_000, intervalMs: 250 },
        );
      } finally {
        dynamodb.destroy();
      }
    } finally {
      tail.close();
    }
  });

  it('drains on SIGTERM: hits already sent are answered, then it exits 0', async () => {
    const program = uniqueProgram();
    await seedPrograms(program);
    // Keep-alive connections (fetch keeps them, as the load balancer does) must not hold the exit back.
    const hits = Array.from({ length: 20 }, () =>
      fetch(`${baseUrl}/event/${program.programId}`).then(
        (response) => response.status,
        () => 'refused' as const,
      ),
    );
    expect(await hits[0], output.join('')).toBe(200);
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    // A hit the server took is answered 200 (its record accepted by Kinesis); one it had not taken yet is refused
    // at connect, as the load balancer's retry would find it. None is cut off half-way (a 5xx or a reset).
    for (const status of await Promise.all(hits)) expect([200, 'refused']).toContain(status);
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
