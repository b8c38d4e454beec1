import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createRecordBatcher } from '../../../../src/adapters/kinesis-batcher.ts';
import type { RecordBatcher } from '../../../../src/adapters/kinesis-batcher.ts';
import { createProgramCache } from '../../../../src/domain/tracking/program-cache.ts';
import { logger } from '../../../../src/server/tracking/logger.ts';
import { createTrackingServer } from '../../../../src/server/tracking/server.ts';
import { createTracker } from '../../../../src/services/tracking/track-hit.ts';
import { eventually } from '../../../support/eventually.ts';
import { blackHole, kinesisClientFor } from '../../../support/kinesis-stand-ins.ts';

const PROGRAM = {
  programId: 'prog-busy',
  programName: 'Busy Show',
  checksum: 'c0ffee',
  customerId: 7,
  customerName: 'Acme',
  valid: true,
  version: 1,
};
const BOUND = 40;
const silent = { info: () => {}, warn: () => {} };
logger.setLogLevel('SILENT'); // the closed-port case logs one error per failed hit

/**
 * The tracking server (as main.ts wires it: tracker -> batcher) with its program in the L1 cache, so no
 * Redis is needed, and Kinesis at `endpoint`.
 */
async function serverFor(endpoint: string): Promise<{ server: Server; url: string; batcher: RecordBatcher }> {
  const client = kinesisClientFor(endpoint, { requestTimeout: 120_000 });
  const batcher = createRecordBatcher('stream', { client: () => client, maxRecords: BOUND });
  const cache = createProgramCache();
  cache.remember(PROGRAM);
  const redis = () => {
    throw new Error('this test has no Redis');
  };
  const tracker = createTracker(
    { stream: 'stream', keyPrefix: 'program:', channel: 'core-data', redis, put: batcher.put },
    silent,
    cache,
  );
  const server = createTrackingServer(tracker);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/event/${PROGRAM.programId}`,
    batcher,
  };
}

describe('tracking server while Kinesis is unreachable', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('holds at most its bound and answers further hits 503 with Retry-After, however many come', async () => {
    const hole = await blackHole();
    cleanup.push(() => hole.close());
    const { server, url, batcher } = await serverFor(hole.endpoint);
    cleanup.push(() => {
      server.closeAllConnections();
      server.close();
    });

    // These hits wait for a Kinesis that never answers (their answers come only when the test ends).
    const waiting = Array.from({ length: BOUND }, () => fetch(url).catch(() => undefined));
    await eventually(() => expect(batcher.stats().held).toBe(BOUND));

    const refused = [];
    for (let round = 0; round < 20; round += 1) {
      refused.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, async () => {
            const response = await fetch(url);
            return {
              status: response.status,
              retryAfter: response.headers.get('retry-after'),
              body: (await response.json()) as unknown,
            };
          }),
        )),
      );
    }
    expect(new Set(refused.map((r) => `${r.status} ${r.retryAfter}`))).toEqual(new Set(['503 1']));
    expect(refused[0]!.body).toEqual({ error: { code: 'overloaded', message: expect.any(String) } });
    expect(batcher.stats()).toMatchObject({ held: BOUND, maxHeld: BOUND, refused: 1000 });
    void waiting;
  });

  it('fails hits on a closed port (500, or 503 while full) and holds nothing afterwards', async () => {
    const hole = await blackHole();
    const closedPort = hole.endpoint;
    await hole.close();
    const { server, url, batcher } = await serverFor(closedPort);
    cleanup.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const statuses = await Promise.all(Array.from({ length: 100 }, async () => (await fetch(url)).status));
    expect(statuses).toContain(500);
    expect(statuses.filter((status) => status !== 500 && status !== 503)).toEqual([]);
    expect(batcher.stats()).toMatchObject({ held: 0, heldBytes: 0 });
    expect(batcher.stats().maxHeld).toBeLessThanOrEqual(BOUND);
  });
});
