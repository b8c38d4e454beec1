import { describe, expect, it } from 'vitest';
import { GET_TOTALS, parseFrame, reconnectDelayMs } from '../../../web/live.js';

describe('the results page live connection', () => {
  it('reconnects after 1 s doubling to 30 s, with at most 20% jitter', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => reconnectDelayMs(attempt, () => 0))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(reconnectDelayMs(0, () => 0.999)).toBe(1200);
  });

  it('reads totals and error frames, and nothing else', () => {
    const results = { candidates: [{ candidate: 'RED', votes: 1 }], total: 1 };
    expect(parseFrame(JSON.stringify({ type: 'totals', results }))).toEqual({ type: 'totals', results });
    expect(parseFrame('{"type":"error","error":{"code":"unknown_action","message":"no"}}')).toEqual({
      type: 'error',
      error: { code: 'unknown_action', message: 'no' },
    });
    for (const text of [
      'nope',
      '{"type":"totals","results":{"candidates":[{"candidate":"RED"}],"total":1}}',
      '{"message":"Forbidden"}',
      'null',
    ]) {
      expect(parseFrame(text), text).toBeNull();
    }
  });

  it('asks for the totals with the getTotals action', () => {
    expect(JSON.parse(GET_TOTALS)).toEqual({ action: 'getTotals' });
  });
});
