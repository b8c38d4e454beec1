import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { CoreData } from '../../src/domain/tracking/core-data.ts';
import { cloudRedis, programKey, uniqueProgram } from '../integration/tracking/core-support.ts';
import { awsConfig, eventually, localCloud, physicalId } from '../support/cloud.ts';

const run = promisify(execFile);
const workDir = mkdtempSync(join(tmpdir(), 'coredata-'));

/** Publishes programs the way an operator does: `npm run coredata:publish` (here against the test cloud). */
async function publish(...programs: CoreData[]): Promise<string> {
  const file = join(workDir, `${programs[0]!.programId}-v${programs[0]!.version}.json`);
  writeFileSync(file, JSON.stringify(programs));
  const script = resolve(import.meta.dirname, '../../scripts/coredata-publish.ts');
  const { stdout } = await run(process.execPath, [script, file, '--endpoint', localCloud().endpoints.kinesis]);
  expect(stdout).toContain(`put on ${physicalId('CoreDataStream')}`); // found by name, as against npm start
  return stdout;
}

const hit = (programId: string) =>
  fetch(`${localCloud().endpoints.tracking}/event/${encodeURIComponent(programId)}`, {
    headers: { 'user-agent': 'e2e-browser/1.0' },
  });

interface TrackedEvent {
  messageId: string;
}

describe('ad tracking, end to end: CoreDataStream -> updateCoreData -> Redis -> tracking server -> TrackingEventStream -> persistTrackingEvents -> TrackingEvents', () => {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));
  afterAll(() => {
    documents.destroy();
    rmSync(workDir, { recursive: true, force: true });
  });

  const storedItem = (messageId: string, timeoutMs: number) =>
    eventually(
      async () => {
        const { Item } = await documents.send(
          new GetCommand({ TableName: physicalId('TrackingEvents'), Key: { MessageId: messageId } }),
        );
        expect(Item).toBeDefined();
        return Item!;
      },
      { timeoutMs, intervalMs: 50 },
    );

  it('tracks a hit on published core data into TrackingEvents, and refuses hits once the program is invalid', async () => {
    const program = uniqueProgram({ programName: 'E2E campaign', customerId: 9001 });
    expect(await publish(program)).toContain(`sent ${program.programId} v1`);

    const first = await eventually(
      async () => {
        const answer = await hit(program.programId);
        expect(answer.status).toBe(200);
        return answer.json() as Promise<TrackedEvent>;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(first).toEqual({
      messageId: expect.any(String),
      programId: program.programId,
      timestampMs: expect.any(Number),
    });
    // The first item may wait for persistTrackingEvents' cold start; once the pipeline is warm, a hit
    // is stored within the 2 s bar (1 s batching window + polling).
    // The stored event is enriched, though the answer was not.
    expect(await storedItem(first.messageId, 30_000)).toMatchObject({
      ProgramId: program.programId,
      ProgramName: 'E2E campaign',
      CustomerId: 9001,
      UserAgent: 'e2e-browser/1.0',
      IsValid: true,
    });

    const second = (await (await hit(program.programId)).json()) as TrackedEvent;
    expect(await storedItem(second.messageId, 2_000)).toMatchObject({
      MessageId: second.messageId,
      ProgramId: program.programId,
      CustomerId: 9001,
      UserAgent: 'e2e-browser/1.0',
    });

    await publish({ ...program, valid: false, version: 2 });
    const redis = await cloudRedis();
    try {
      // Applied (and published, in the same script) once the hash says version 2.
      await eventually(async () => expect(await redis.hGet(programKey(program.programId), 'version')).toBe('2'), {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
    } finally {
      await redis.close();
    }
    await eventually(async () => expect((await hit(program.programId)).status).toBe(403), {
      timeoutMs: 1_000,
      intervalMs: 20,
    });
  });

  it('answers a flood of hits on an unknown program from one Redis read, and serves the program once it is published without waiting for that to expire', async () => {
    const program = uniqueProgram({ programName: 'Launched later' });
    const key = programKey(program.programId);
    // Every command Redis executes, as MONITOR shows it: count the tracking server's reads of this program.
    const monitor = await cloudRedis();
    const reads: string[] = [];
    const markers = new Set<string>();
    await monitor.monitor((line) => {
      if (/"hgetall"/i.test(line) && line.includes(`"${key}"`)) reads.push(line);
      for (const marker of markers) if (line.includes(marker)) markers.delete(marker);
    });
    const redis = await cloudRedis();
    /** Resolves once MONITOR has shown every command Redis executed before now. */
    const monitorCaughtUp = async () => {
      const marker = `monitor-marker-${randomUUID()}`;
      markers.add(marker);
      await redis.get(marker);
      await eventually(async () => expect(markers.has(marker)).toBe(false), { timeoutMs: 10_000, intervalMs: 20 });
    };
    try {
      const concurrent = await Promise.all(
        Array.from({ length: 50 }, async () => (await hit(program.programId)).status),
      );
      const sequential: number[] = [];
      for (let i = 0; i < 50; i += 1) sequential.push((await hit(program.programId)).status);
      expect([...concurrent, ...sequential]).toEqual(Array(100).fill(404));
      await monitorCaughtUp();
      expect(reads).toHaveLength(1);

      await publish(program);
      await eventually(async () => expect((await hit(program.programId)).status).toBe(200), {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
      // Served from the core-data message: had the unknown mark merely expired, Redis would have been read again.
      await monitorCaughtUp();
      expect(reads).toHaveLength(1);
    } finally {
      await Promise.all([monitor.close(), redis.close()]);
    }
  });
});
