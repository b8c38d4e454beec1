import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSubscriptionData, encodeSubscriptionData } from '../../../src/domain/logging/subscription.ts';
import { invokeFunction } from '../../support/cloud.ts';
import { firehoseEvent } from '../../support/logging.ts';

// Fuzzing of the Firehose transformation (issue 7, hostile input): CloudWatch Logs subscription records mixed
// with control messages, random bytes, gzip of random JSON and truncated gzip. Every recordId is answered once,
// in order; a record the decoder accepts is Ok with exactly its log events (or Dropped when it has none, or
// is a control message); every other record is ProcessingFailed, and the function never fails.

type Answer = { recordId: string; result: string; data?: string };

const logEvent = fc.record({
  id: fc.uuid(),
  timestamp: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
  message: fc.string({ maxLength: 300 }),
});
const dataMessage = fc
  .record({
    logGroup: fc.stringMatching(/^\/aws\/lambda\/[a-z0-9-]{1,30}$/),
    logStream: fc.string({ minLength: 1, maxLength: 40 }),
    logEvents: fc.array(logEvent, { minLength: 0, maxLength: 20 }),
  })
  .map((message) =>
    encodeSubscriptionData({
      messageType: 'DATA_MESSAGE',
      owner: '000000000000',
      subscriptionFilters: ['fuzz'],
      ...message,
    }),
  );
const control = fc.constant(
  encodeSubscriptionData({
    messageType: 'CONTROL_MESSAGE',
    owner: 'CloudwatchLogs',
    logGroup: '',
    logStream: '',
    subscriptionFilters: [],
    logEvents: [{ id: '', timestamp: 0, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }],
  }),
);
const junk = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue({ maxDepth: 3 }).map((value) => gzipSync(JSON.stringify(value ?? null))),
  dataMessage.chain((bytes) =>
    fc.integer({ min: 0, max: Math.max(0, bytes.length - 1) }).map((cut) => bytes.subarray(0, cut)),
  ),
);

/** What the decoder says each record is: the ids of its log events, 'control', or 'refused'. */
function expectation(data: Buffer): string[] | 'control' | 'refused' {
  const decoded = decodeSubscriptionData(data.toString('base64'));
  if (!decoded.ok) return 'refused';
  return decoded.value.messageType === 'CONTROL_MESSAGE' ? 'control' : decoded.value.logEvents.map((event) => event.id);
}

describe('fuzzing transformLogRecords with junk mixed into subscription data', () => {
  it('answers every record once, Ok with exactly its events, Dropped, or ProcessingFailed, and never fails', async () => {
    const batch = fc.array(
      fc.oneof(
        { weight: 3, arbitrary: dataMessage },
        { weight: 1, arbitrary: control },
        { weight: 2, arbitrary: junk },
      ),
      { minLength: 1, maxLength: 40 },
    );
    await fc.assert(
      fc.asyncProperty(batch, async (datas) => {
        const event = firehoseEvent(datas);
        const result = await invokeFunction('transformLogRecords', event);
        expect(result.ok).toBe(true);
        const answers = (result as { payload: { records: Answer[] } }).payload.records;
        expect(answers.map((answer) => answer.recordId)).toEqual(event.records.map((record) => record.recordId));
        answers.forEach((answer, i) => {
          const expected = expectation(datas[i]!);
          if (expected === 'refused') return expect(answer.result).toBe('ProcessingFailed');
          if (expected === 'control' || expected.length === 0) return expect(answer.result).toBe('Dropped');
          expect(answer.result).toBe('Ok');
          const ids = Buffer.from(answer.data ?? '', 'base64')
            .toString('utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => (JSON.parse(line) as { id: string }).id);
          expect(ids).toEqual(expected);
        });
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 15), endOnFailure: true },
    );
  }, 600_000);
});
