import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { outagesInTurn, runChaos } from '../../scripts/lib/load/chaos.ts';
import { DRIVERS } from '../../scripts/lib/load/drivers.ts';
import { localCloud } from '../support/cloud.ts';

// The reduced form of `npm run chaos`: every pipeline under a steady load while DynamoDB Local and Redis
// are stopped and started again, and Kinesis is unreachable, in turn. Whatever was accepted (HTTP 2xx, or
// a record on a stream) must be in its sink exactly once or in a dead-letter queue with its reason.
const DURATION_S = Number(process.env.CHAOS_DURATION_S ?? 45);
const DOWN_S = 5;

describe('chaos: services stop and come back during a steady load on every pipeline', () => {
  it(
    'loses nothing accepted and stores nothing twice',
    async () => {
      const context = {
        endpoints: localCloud().endpoints,
        stackName: localCloud().stackName,
        runId: randomUUID().slice(0, 8),
      };
      const report = await runChaos(context, {
        drivers: DRIVERS,
        rates: Object.fromEntries(Object.keys(DRIVERS).map((name) => [name, 2])),
        durationS: DURATION_S,
        outages: outagesInTurn(DURATION_S, DOWN_S),
        settleS: 120,
      });
      console.log(JSON.stringify(report.timeline));
      console.log(
        report.results
          .map((r) =>
            JSON.stringify({
              pipeline: r.pipeline,
              accepted: r.accepted,
              stored: r.stored,
              deadLettered: r.deadLettered,
              lost: r.lost,
              duplicates: r.duplicates,
            }),
          )
          .join('\n'),
      );

      expect(report.timeline.map((outage) => outage.service)).toEqual(['dynamodb', 'kinesis', 'redis']);
      for (const result of report.results) {
        expect({ pipeline: result.pipeline, lost: result.lostKeys, duplicates: result.duplicates }).toEqual({
          pipeline: result.pipeline,
          lost: [],
          duplicates: 0,
        });
        expect(result.stored + result.deadLettered).toBe(result.accepted);
        expect(result.accepted, `${result.pipeline} accepted nothing`).toBeGreaterThan(0);
      }
      // Every service is back, so the tests after this one find the cloud whole.
      expect(await (await fetch(`${context.endpoints.console}/_local/services`)).json()).toEqual({
        dynamodb: 'running',
        kinesis: 'running',
        redis: 'running',
      });
    },
    (DURATION_S + 300) * 1000,
  );
});
