import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { stage, startTicker, withProgress } from '../../../scripts/lib/progress.ts';

describe('progress ticker', () => {
  it('writes a line every interval while the work runs, and none after it ends', async () => {
    const lines: string[] = [];
    const result = await withProgress(
      (elapsedS) => `line at ${elapsedS}`,
      async () => {
        await sleep(130);
        return 'done';
      },
      { everyS: 0.02, write: (text) => lines.push(text) },
    );
    const count = lines.length;
    await sleep(60);
    expect(result).toBe('done');
    expect(count).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBe(count);
    expect(lines[0]).toMatch(/^line at \d+$/);
  });

  it('stops when the work fails too, and skips empty lines', async () => {
    const lines: string[] = [];
    await expect(
      withProgress(
        () => '',
        async () => {
          await sleep(50);
          throw new Error('boom');
        },
        { everyS: 0.01, write: (text) => lines.push(text) },
      ),
    ).rejects.toThrow('boom');
    const ticker = startTicker(() => 'x', { everyS: 0.01, write: (text) => lines.push(text) });
    ticker.stop();
    ticker.stop();
    await sleep(40);
    expect(lines).toEqual([]);
  });

  it('describes the current step and how far it is', () => {
    const progress = stage();
    expect(progress.describe()).toBe('starting');
    progress.set('ours: sending votes', 6000);
    progress.done(2400);
    expect(progress.describe()).toBe('ours: sending votes: 2,400 of 6,000');
    progress.set('bare limit');
    expect(progress.describe()).toBe('bare limit');
  });
});
