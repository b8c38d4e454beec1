import { describe, expect, it } from 'vitest';
import { reconnectDelay } from '../../../../src/adapters/redis.ts';

describe('Redis reconnect strategy', () => {
  it('backs off exponentially, with jitter, up to a cap', () => {
    const delays = [0, 1, 2, 3, 10, 30].map((retries) => reconnectDelay(retries, Infinity) as number);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[3]).toBeGreaterThanOrEqual(400);
    for (const delay of delays) expect(delay).toBeLessThan(2_100);
  });

  it('gives up after the allowed attempts, so a function fails its records instead of hanging', () => {
    expect(reconnectDelay(2, 3)).toEqual(expect.any(Number));
    expect(reconnectDelay(3, 3)).toBeInstanceOf(Error);
  });
});
