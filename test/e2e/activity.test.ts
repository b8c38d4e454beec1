import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { activityItem, parseActivityEvent, type EventDataItem } from '../../src/domain/activity/event.ts';
import { storedEvents } from '../support/activity.ts';
import { eventually, explainedByMapping, localCloud, physicalId } from '../support/cloud.ts';

const serviceDir = resolve(import.meta.dirname, '../..');
const keyOf = (item: { Username: unknown; Id: unknown }) => `${String(item.Username)}\u0000${String(item.Id)}`;

describe('stream processing, end to end: activity:publish -> ActivityStream -> processActivityEvents -> EventData', () => {
  it('stores every event the publisher reports sent exactly once, as the item the event determines', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'activity-e2e-')), 'sent.ndjson');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(serviceDir, 'scripts', 'activity-publish.ts'),
        '--events',
        '300',
        '--users',
        '7',
        '--endpoint',
        localCloud().endpoints.kinesis,
        '--stream',
        physicalId('ActivityStream'),
        '--out',
        out,
      ],
      { cwd: serviceDir, timeout: 120_000 },
    );
    expect(stdout).toMatch(/done: sent 300 of \d+ user\(s\), retried \d+, failed 0/);
    const sent = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(sent).toHaveLength(300);
    const expected = new Map(
      sent.map((event) => {
        const parsed = parseActivityEvent(event, Date.now());
        if (!parsed.ok) throw new Error(parsed.reason);
        const item = activityItem(parsed.value);
        return [keyOf(item), item] as const;
      }),
    );
    expect(expected.size).toBe(300);
    const users = [...new Set([...expected.values()].map((item) => item.Username))];
    const runPrefix = [...expected.values()][0]!.Id.replace(/-\d+$/, '-');

    await explainedByMapping(
      'processActivityEvents',
      eventually(
        async () => {
          const stored = (await Promise.all(users.map(storedEvents)))
            .flat()
            .filter((item) => String(item.Id).startsWith(runPrefix));
          expect(stored).toHaveLength(expected.size);
          for (const item of stored) expect(item).toEqual(expected.get(keyOf(item as EventDataItem)));
        },
        { timeoutMs: 60_000, intervalMs: 1000 },
      ),
    );
  }, 180_000);
});
