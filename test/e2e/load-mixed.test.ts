import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../../scripts/lib/load/drivers.ts';
import { resultRow, runLoad } from '../../scripts/lib/load/runner.ts';
import { localCloud } from '../support/cloud.ts';

// The reduced form of `npm run load -- all`: every pipeline at once for 60 s through its real entry point.
// Counts are asserted (everything accepted reaches its sink, nothing errs), never timings.
const DURATION_S = Number(process.env.LOAD_DURATION_S ?? 60);
const RATES: Record<string, number> = {
  votes: 2,
  tracking: 4,
  coredata: 1,
  files: 1,
  iot: 4,
  activity: 4,
  notes: 1,
  logging: 1,
};

describe('a mixed load on every pipeline at once', () => {
  it(
    `accepts and stores every input of ${DURATION_S} s of load on all pipelines, losing none`,
    async () => {
      const context = {
        endpoints: localCloud().endpoints,
        stackName: localCloud().stackName,
        runId: randomUUID().slice(0, 8),
      };
      const results = await Promise.all(
        Object.entries(DRIVERS).map(([name, driver]) =>
          runLoad(driver(context), { durationS: DURATION_S, rate: RATES[name] ?? 1, settleS: 120 }),
        ),
      );
      console.log(results.map((result) => JSON.stringify(resultRow(result))).join('\n'));
      for (const result of results) {
        expect({
          pipeline: result.pipeline,
          errors: result.errors,
          refused: result.refused,
          lost: result.lost,
          duplicates: result.duplicates,
        }).toEqual({ pipeline: result.pipeline, errors: 0, refused: 0, lost: 0, duplicates: 0 });
        expect(result.stored).toBe(result.sent);
      }
    },
    (DURATION_S + 240) * 1000,
  );
});
