import { describe, expect, it } from 'vitest';
import {
  dueAtMs,
  loadCounts,
  percentiles,
  progressLine,
  runLoad,
  type LoadDriver,
} from '../../../scripts/lib/load/runner.ts';

/** A pipeline held in memory: refuses every 5th input, and its sink shows an input two polls after it. */
function memoryPipeline(options: { loseKey?: string } = {}): LoadDriver & { polls: number } {
  const arrivals = new Map<string, number>();
  const driver = {
    name: 'memory',
    polls: 0,
    async send(i: number) {
      if (i % 5 === 4) return { accepted: false, status: '400' };
      const key = `k${i}`;
      if (key !== options.loseKey) arrivals.set(key, driver.polls + 2);
      return { accepted: true, status: '200', key };
    },
    async visible(keys: readonly string[]) {
      driver.polls += 1;
      return new Set(keys.filter((key) => (arrivals.get(key) ?? Infinity) <= driver.polls));
    },
  };
  return driver;
}

describe('runLoad', () => {
  it('counts sent, accepted, refused and stored inputs, and measures freshness for each stored one', async () => {
    const result = await runLoad(memoryPipeline(), { durationS: 1, rate: 20, settleS: 5, pollMs: 5 });
    expect(result).toMatchObject({
      pipeline: 'memory',
      sent: 20,
      accepted: 16,
      refused: 4,
      errors: 0,
      stored: 16,
      lost: 0,
    });
    expect(result.statuses).toEqual({ 200: 16, 400: 4 });
    expect(result.freshnessMs.p50).toBeGreaterThanOrEqual(0);
  });

  it('keeps the counts a progress line shows up to date: offered, accepted, stored, settling', async () => {
    const counts = loadCounts();
    const result = await runLoad(memoryPipeline(), { durationS: 1, rate: 20, settleS: 5, pollMs: 5, counts });
    expect(counts).toEqual({
      offered: result.sent,
      accepted: result.accepted,
      stored: result.stored,
      deadLettered: 0,
      settling: true,
    });
  });

  it('reports an accepted input that never reaches the sink as lost, after the settle time', async () => {
    const result = await runLoad(memoryPipeline({ loseKey: 'k3' }), {
      durationS: 0.5,
      rate: 20,
      settleS: 0.2,
      pollMs: 5,
    });
    expect(result).toMatchObject({ accepted: 8, stored: 7, lost: 1 });
  });

  it('counts an input not in the sink but named by a dead letter (all its marks) as dead-lettered, not lost', async () => {
    const driver = { ...memoryPipeline({ loseKey: 'k3' }), marks: (key: string) => [`"${key}"`, 'reason'] };
    const letters = ['{"id":"k3","reason":"ValidationException"}', '{"id":"k1"}'];
    const result = await runLoad(driver, {
      durationS: 0.5,
      rate: 20,
      settleS: 0.5,
      pollMs: 5,
      deadLetters: async () => letters,
    });
    expect(result).toMatchObject({ accepted: 8, stored: 7, deadLettered: 1, lost: 0, lostKeys: [] });
    const unnamed = await runLoad(
      { ...memoryPipeline({ loseKey: 'k2' }), marks: driver.marks },
      { durationS: 0.5, rate: 20, settleS: 0.5, pollMs: 5, deadLetters: async () => letters },
    );
    expect(unnamed).toMatchObject({ deadLettered: 0, lost: 1, lostKeys: ['k2'] });
  });

  it('reports what the driver finds stored more than once', async () => {
    const result = await runLoad(
      { ...memoryPipeline(), duplicates: async () => 2 },
      { durationS: 0.2, rate: 20, settleS: 1, pollMs: 5 },
    );
    expect(result.duplicates).toBe(2);
  });

  it('counts a throwing send and a 5xx as errors, not as refusals', async () => {
    let i = 0;
    const driver: LoadDriver = {
      name: 'flaky',
      send: async () => {
        i += 1;
        if (i === 1) throw new Error('ECONNRESET');
        return i === 2 ? { accepted: false, status: '503' } : { accepted: true, status: '200', key: `k${i}` };
      },
      visible: async (keys) => new Set(keys),
    };
    expect(await runLoad(driver, { durationS: 0.2, rate: 20, settleS: 1, pollMs: 5 })).toMatchObject({
      sent: 4,
      errors: 2,
      refused: 0,
      accepted: 2,
      lost: 0,
    });
  });
});

describe('percentiles and pacing', () => {
  it('takes nearest-rank percentiles', () => {
    expect(percentiles(Array.from({ length: 100 }, (_, i) => i + 1))).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 });
    expect(percentiles([]).p50).toBeNaN();
  });

  it('spaces inputs evenly at the rate, whatever earlier ones are doing', () => {
    expect([0, 1, 2, 10].map((i) => dueAtMs(i, 4))).toEqual([0, 250, 500, 2500]);
  });

  it('prints one progress line: the totals, and with several pipelines which still wait for their sink', () => {
    const votes = { offered: 20, accepted: 18, stored: 15, deadLettered: 0, settling: false };
    const files = { offered: 20, accepted: 20, stored: 17, deadLettered: 1, settling: true };
    expect(progressLine(10, { votes })).toBe('    10 s  sending: offered 20, accepted 18, stored 15');
    expect(progressLine(35, { votes: { ...votes, settling: true }, files })).toBe(
      '    35 s  settling: offered 40, accepted 38, stored 32, dead-lettered 1; not yet in the sink: votes 3, files 2',
    );
  });
});
