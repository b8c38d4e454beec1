import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { controlMessage } from '../../../src/domain/logging/publish.ts';
import {
  decodeSubscriptionData,
  encodeSubscriptionData,
  type DataMessage,
} from '../../../src/domain/logging/subscription.ts';
import { eventually, invokeFunction } from '../../support/cloud.ts';
import { firehoseEvent } from '../../support/logging.ts';
import { streamTail } from '../tracking/stream-reader.ts';

const message = (logGroup: string, events: Array<{ id: string; message: string }>): DataMessage => ({
  messageType: 'DATA_MESSAGE',
  owner: '000000000000',
  logGroup,
  logStream: 'it-stream',
  subscriptionFilters: ['it'],
  logEvents: events.map((event, i) => ({ ...event, timestamp: Date.parse('2026-03-04T05:06:07Z') + i })),
});

type Answer = { recordId: string; result: string; data?: string };
const lines = (answer: Answer) =>
  Buffer.from(answer.data ?? '', 'base64')
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, string>);

describe('transformLogRecords', () => {
  it('answers a mixed batch: data Ok as NDJSON, control Dropped, the corrupt record ProcessingFailed while the others are Ok', async () => {
    const group = `/aws/lambda/it-${randomUUID()}`;
    const result = await invokeFunction(
      'transformLogRecords',
      firehoseEvent([
        encodeSubscriptionData(
          message(group, [
            { id: 'a1', message: 'first' },
            { id: 'a2', message: '{"level":"WARN"}' },
          ]),
        ),
        encodeSubscriptionData(controlMessage(Date.now())),
        Buffer.from('this is not gzip'),
        encodeSubscriptionData(message(group, [{ id: 'b1', message: 'third' }])),
      ]),
    );
    expect(result.ok).toBe(true);
    const answers = (result as { payload: { records: Answer[] } }).payload.records;
    expect(answers.map((a) => [a.recordId, a.result])).toEqual([
      ['rec-0', 'Ok'],
      ['rec-1', 'Dropped'],
      ['rec-2', 'ProcessingFailed'],
      ['rec-3', 'Ok'],
    ]);
    expect(lines(answers[0]!)).toEqual([
      {
        timestamp: '2026-03-04T05:06:07.000Z',
        logGroup: group,
        logStream: 'it-stream',
        owner: '000000000000',
        id: 'a1',
        message: 'first',
      },
      {
        timestamp: '2026-03-04T05:06:07.001Z',
        logGroup: group,
        logStream: 'it-stream',
        owner: '000000000000',
        id: 'a2',
        message: '{"level":"WARN"}',
      },
    ]);
    expect(lines(answers[3]!).map((line) => line.id)).toEqual(['b1']);
  });

  it('keeps the response under 6 MB and re-ingests the rest onto LogStream, losing no log event', async () => {
    const group = `/aws/lambda/it-big-${randomUUID()}`;
    // Gzip shrinks repetitive log lines a hundredfold: 8 small records become ~12 MB of base64 NDJSON.
    const messages = Array.from({ length: 8 }, (_, r) =>
      message(
        group,
        Array.from({ length: 500 }, (_e, i) => ({ id: `${r}-${i}`, message: `${'x'.repeat(2000)} ${r}-${i}` })),
      ),
    );
    const tail = await streamTail('LogStream');
    try {
      const result = await invokeFunction(
        'transformLogRecords',
        firehoseEvent(messages.map((m) => encodeSubscriptionData(m))),
      );
      expect(result.ok).toBe(true);
      const answers = (result as { payload: { records: Answer[] } }).payload.records;
      expect(answers.map((a) => a.recordId)).toEqual(messages.map((_m, i) => `rec-${i}`));
      expect(Buffer.byteLength(JSON.stringify({ records: answers }))).toBeLessThan(6 * 1024 * 1024);
      const ok = answers.filter((a) => a.result === 'Ok');
      const dropped = answers.filter((a) => a.result === 'Dropped');
      expect(ok.length).toBeGreaterThan(0);
      expect(dropped.length).toBeGreaterThan(0);
      expect(ok.length + dropped.length).toBe(messages.length);
      const delivered = ok.flatMap((a) => lines(a).map((line) => line.id));
      await eventually(
        async () => {
          const reingested = (await tail.records()).flatMap(({ data }) => {
            const decoded = decodeSubscriptionData(Buffer.from(data).toString('base64'));
            return decoded.ok && decoded.value.messageType === 'DATA_MESSAGE' && decoded.value.logGroup === group
              ? decoded.value.logEvents.map((e) => e.id)
              : [];
          });
          expect([...delivered, ...reingested].sort()).toEqual(
            messages.flatMap((m) => m.logEvents.map((e) => e.id)).sort(),
          );
        },
        { timeoutMs: 20_000, intervalMs: 500 },
      );
    } finally {
      tail.close();
    }
  });
});
