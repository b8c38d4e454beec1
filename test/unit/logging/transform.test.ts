import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logLines } from '../../../src/domain/logging/log-lines.ts';
import { controlMessage, sampleDataMessages } from '../../../src/domain/logging/publish.ts';
import {
  decodeSubscriptionData,
  encodeSubscriptionData,
  type DataMessage,
} from '../../../src/domain/logging/subscription.ts';
import {
  splitByLogEvents,
  transformRecords,
  withUnreingested,
  type TransformInput,
} from '../../../src/domain/logging/transform.ts';

const message = (
  events: Array<{ id: string; timestamp: number; message: string }>,
  logGroup = '/aws/lambda/orders',
): DataMessage => ({
  messageType: 'DATA_MESSAGE',
  owner: '123456789012',
  logGroup,
  logStream: '2026/03/04/[$LATEST]abc',
  subscriptionFilters: ['central'],
  logEvents: events,
});
const record = (recordId: string, data: unknown): TransformInput => ({
  recordId,
  data: typeof data === 'string' ? data : encodeSubscriptionData(data as DataMessage).toString('base64'),
  partitionKey: `pk-${recordId}`,
});
const gz = (text: string) => gzipSync(text).toString('base64');
const ndjson = (base64: string) =>
  Buffer.from(base64, 'base64')
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('decodeSubscriptionData', () => {
  it('reads a data message and a control message', () => {
    const data = message([{ id: '1', timestamp: 0, message: 'hi' }]);
    expect(decodeSubscriptionData(encodeSubscriptionData(data).toString('base64'))).toEqual({ ok: true, value: data });
    expect(decodeSubscriptionData(encodeSubscriptionData(controlMessage(0)).toString('base64'))).toEqual({
      ok: true,
      value: { messageType: 'CONTROL_MESSAGE' },
    });
  });

  it.each([
    ['not base64', '%%%not-base64%%%', /not base64/],
    ['not gzip', Buffer.from('{"messageType":"DATA_MESSAGE"}').toString('base64'), /not gzip/],
    ['not JSON', gz('not json'), /not JSON/],
    ['an unknown message type', gz(JSON.stringify({ messageType: 'OTHER' })), /unknown messageType "OTHER"/],
    [
      'a data message of the wrong shape',
      gz(JSON.stringify({ ...message([]), logEvents: [{ id: 1 }] })),
      /logEvents\.0\.id/,
    ],
    [
      'a timestamp out of range',
      gz(JSON.stringify(message([{ id: '1', timestamp: 1e17, message: 'x' }]))),
      /timestamp/,
    ],
  ])('refuses %s with a reason', (_case, data, reason) => {
    const decoded = decodeSubscriptionData(data);
    expect(decoded.ok).toBe(false);
    expect((decoded as { reason: string }).reason).toMatch(reason);
  });
});

describe('logLines', () => {
  it('writes one JSON line per event with ISO time, group, stream, owner and id; a JSON message stays a string', () => {
    const lines = logLines(
      message([
        { id: 'e1', timestamp: Date.parse('2026-03-04T05:06:07.089Z'), message: '{"level":"INFO","n":1.50}' },
        { id: 'e2', timestamp: 0, message: 'line with "quotes"\nand a newline' },
      ]),
    );
    expect(lines.endsWith('\n')).toBe(true);
    expect(lines.split('\n')).toHaveLength(3);
    expect(
      lines
        .split('\n')
        .slice(0, 2)
        .map((line) => JSON.parse(line)),
    ).toEqual([
      {
        timestamp: '2026-03-04T05:06:07.089Z',
        logGroup: '/aws/lambda/orders',
        logStream: '2026/03/04/[$LATEST]abc',
        owner: '123456789012',
        id: 'e1',
        message: '{"level":"INFO","n":1.50}',
      },
      {
        timestamp: '1970-01-01T00:00:00.000Z',
        logGroup: '/aws/lambda/orders',
        logStream: '2026/03/04/[$LATEST]abc',
        owner: '123456789012',
        id: 'e2',
        message: 'line with "quotes"\nand a newline',
      },
    ]);
  });
});

describe('transformRecords', () => {
  it('answers Ok with NDJSON, Dropped for control messages and ProcessingFailed for a corrupt record, every recordId once and in order', () => {
    const plan = transformRecords([
      record(
        'a',
        message([
          { id: '1', timestamp: 1, message: 'one' },
          { id: '2', timestamp: 2, message: 'two' },
        ]),
      ),
      record('b', controlMessage(3)),
      record('c', 'H4sIAAAAAAAAA-corrupt'),
      record('d', message([{ id: '3', timestamp: 3, message: 'three' }], '/aws/lambda/other')),
      record('e', message([])),
    ]);
    expect(plan.records.map((r) => [r.recordId, r.result])).toEqual([
      ['a', 'Ok'],
      ['b', 'Dropped'],
      ['c', 'ProcessingFailed'],
      ['d', 'Ok'],
      ['e', 'Dropped'],
    ]);
    const [a, , , d] = plan.records as Array<{ data: string }>;
    expect(ndjson(a!.data).map((line) => line.message)).toEqual(['one', 'two']);
    expect(ndjson(d!.data)).toEqual([
      expect.objectContaining({ logGroup: '/aws/lambda/other', id: '3', message: 'three' }),
    ]);
    expect(plan.failures).toEqual([{ recordId: 'c', reason: expect.stringMatching(/not base64/) }]);
    expect(plan.reingest).toEqual([]);
  });

  it('re-ingests the original data of the Ok records that come after the response is full', () => {
    const big = (n: number) =>
      message(Array.from({ length: 40 }, (_, i) => ({ id: `${n}-${i}`, timestamp: i, message: 'x'.repeat(400) })));
    const inputs = [0, 1, 2, 3].map((n) => record(`r${n}`, big(n)));
    const plan = transformRecords(inputs, 80_000);
    expect(plan.records.map((r) => r.result)).toEqual(['Ok', 'Ok', 'Dropped', 'Dropped']);
    expect(JSON.stringify({ records: plan.records }).length).toBeLessThanOrEqual(80_000);
    expect(plan.reingest.map((r) => [r.recordId, r.partitionKey, Buffer.from(r.data).toString('base64')])).toEqual([
      ['r2', 'pk-r2', inputs[2]!.data],
      ['r3', 'pk-r3', inputs[3]!.data],
    ]);
  });

  it('splits a record too large on its own by log events, each part fitting, and re-ingests the parts', () => {
    const events = Array.from({ length: 30 }, (_, i) => ({ id: String(i), timestamp: i, message: 'y'.repeat(1000) }));
    const plan = transformRecords([record('big', message(events))], 12_000);
    expect(plan.records).toEqual([{ recordId: 'big', result: 'Dropped' }]);
    expect(plan.reingest.length).toBeGreaterThan(1);
    const parts = plan.reingest.map((r) => decodeSubscriptionData(Buffer.from(r.data).toString('base64')));
    const partEvents = parts.flatMap((p) => (p.ok && p.value.messageType === 'DATA_MESSAGE' ? p.value.logEvents : []));
    expect(partEvents).toEqual(events);
    for (const part of plan.reingest) {
      const again = transformRecords([{ recordId: 'big', data: Buffer.from(part.data).toString('base64') }], 12_000);
      expect(again.records[0]!.result).toBe('Ok');
    }
  });

  it('fails a record whose single log event cannot fit the response', () => {
    const plan = transformRecords(
      [record('huge', message([{ id: '1', timestamp: 1, message: 'z'.repeat(20_000) }]))],
      12_000,
    );
    expect(plan.records).toEqual([{ recordId: 'huge', result: 'ProcessingFailed' }]);
    expect(plan.reingest).toEqual([]);
  });

  it('turns records that could not be re-ingested into ProcessingFailed', () => {
    const plan = {
      records: [
        { recordId: 'a', result: 'Ok' as const, data: '' },
        { recordId: 'b', result: 'Dropped' as const },
      ],
      reingest: [],
      failures: [],
    };
    expect(withUnreingested(plan, new Set(['b'])).records).toEqual([
      { recordId: 'a', result: 'Ok', data: '' },
      { recordId: 'b', result: 'ProcessingFailed' },
    ]);
  });

  it('never loses an event: each is delivered Ok or re-ingested, and the response fits (property)', () => {
    const eventArb = fc.record({
      id: fc.uuid(),
      timestamp: fc.integer({ min: 0, max: 4e12 }),
      message: fc.string({ maxLength: 600 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(eventArb, { maxLength: 20 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 20_000, max: 60_000 }),
        (batches, limit) => {
          const inputs = batches.map((events, i) => record(`r${i}`, message(events)));
          const plan = transformRecords(inputs, limit);
          expect(plan.records.map((r) => r.recordId)).toEqual(inputs.map((r) => r.recordId));
          expect(Buffer.byteLength(JSON.stringify({ records: plan.records }))).toBeLessThanOrEqual(limit);
          const delivered = plan.records.flatMap((r) =>
            r.result === 'Ok' ? ndjson(r.data).map((line) => line.id) : [],
          );
          const reingested = plan.reingest.flatMap((r) => {
            const decoded = decodeSubscriptionData(Buffer.from(r.data).toString('base64'));
            return decoded.ok && decoded.value.messageType === 'DATA_MESSAGE'
              ? decoded.value.logEvents.map((e) => e.id)
              : [];
          });
          const failed = new Set(plan.records.filter((r) => r.result === 'ProcessingFailed').map((r) => r.recordId));
          const expected = batches.flatMap((events, i) => (failed.has(`r${i}`) ? [] : events.map((e) => e.id)));
          expect([...delivered, ...reingested].sort()).toEqual(expected.sort());
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('splitByLogEvents', () => {
  it('packs events in order into parts whose transformed data fits, or refuses when one event cannot', () => {
    const events = Array.from({ length: 10 }, (_, i) => ({ id: String(i), timestamp: i, message: 'm'.repeat(300) }));
    const parts = splitByLogEvents(message(events), 2_000)!;
    expect(parts.flatMap((part) => part.logEvents)).toEqual(events);
    for (const part of parts) expect(Buffer.from(logLines(part)).toString('base64').length).toBeLessThanOrEqual(2_000);
    expect(splitByLogEvents(message(events), 300)).toBeUndefined();
  });
});

describe('sampleDataMessages', () => {
  it('spreads N events over G groups with unique ids', () => {
    const messages = sampleDataMessages({ events: 103, groups: 3, runId: 'run1', owner: '000000000000', nowMs: 0 });
    const events = messages.flatMap((m) => m.logEvents);
    expect(events).toHaveLength(103);
    expect(new Set(events.map((e) => e.id)).size).toBe(103);
    expect(new Set(messages.map((m) => m.logGroup))).toEqual(
      new Set(['/aws/lambda/run1-1', '/aws/lambda/run1-2', '/aws/lambda/run1-3']),
    );
    expect(Math.max(...messages.map((m) => m.logEvents.length))).toBeLessThanOrEqual(25);
  });
});
