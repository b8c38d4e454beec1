import { describe, expect, it } from 'vitest';
import { flushDue, invocationSizes } from './buffer.ts';
import { deliveryOutcome, transformationEvent, type BufferedRecord } from './outcome.ts';
import { expandErrorPrefix, expandPrefix, objectKey } from './prefix.ts';

const at = Date.parse('2026-03-04T05:06:07.890Z');
const buffered = (n: number): BufferedRecord => ({
  recordId: `id-${n}`,
  data: Buffer.from(`raw-${n}`),
  arrivalMs: at + n,
  shardId: 'shardId-000000000000',
  partitionKey: `pk-${n}`,
  sequenceNumber: String(100 + n),
});

describe('local Firehose prefixes', () => {
  it('expands timestamp and firehose expressions in UTC', () => {
    expect(
      expandPrefix('logs/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/', {
        timestampMs: at,
        randomString: 'r',
      }),
    ).toBe('logs/year=2026/month=03/day=04/hour=05/');
    expect(
      expandErrorPrefix('errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM}/', {
        timestampMs: at,
        randomString: 'r',
        errorOutputType: 'processing-failed',
      }),
    ).toBe('errors/processing-failed/2026/03/');
    expect(expandPrefix('x/!{firehose:random-string}/', { timestampMs: at, randomString: 'abc' })).toBe('x/abc/');
  });

  it('appends YYYY/MM/DD/HH/ to a prefix without expressions, and puts errors under processing-failed/ without an error prefix', () => {
    expect(expandPrefix('plain/', { timestampMs: at, randomString: 'r' })).toBe('plain/2026/03/04/05/');
    expect(
      expandErrorPrefix(undefined, { timestampMs: at, randomString: 'r', errorOutputType: 'processing-failed' }),
    ).toBe('processing-failed/2026/03/04/05/');
  });

  it('refuses expressions it cannot evaluate', () => {
    expect(() => expandPrefix('!{partitionKeyFromQuery:x}/', { timestampMs: at, randomString: 'r' })).toThrow(
      /not supported/,
    );
    expect(() => expandPrefix('!{firehose:error-output-type}/', { timestampMs: at, randomString: 'r' })).toThrow(
      /not supported/,
    );
  });

  it('names objects <prefix><stream>-1-<time>-<random>, with .gz when compressed', () => {
    expect(objectKey('logs/', 'refarch-dev-CentralLogDelivery', at, 'uuid', true)).toBe(
      'logs/refarch-dev-CentralLogDelivery-1-2026-03-04-05-06-07-uuid.gz',
    );
    expect(objectKey('', 's', at, 'u', false)).toBe('s-1-2026-03-04-05-06-07-u');
  });
});

describe('local Firehose buffering', () => {
  const hints = { intervalSeconds: 10, sizeMb: 1 };
  it('delivers once the buffer reaches the size hint or its oldest record the interval, never when empty', () => {
    expect(flushDue({ bytes: 0, oldestMs: undefined }, at, hints)).toBe(false);
    expect(flushDue({ bytes: 10, oldestMs: at }, at + 9_999, hints)).toBe(false);
    expect(flushDue({ bytes: 10, oldestMs: at }, at + 10_000, hints)).toBe(true);
    expect(flushDue({ bytes: 1024 * 1024, oldestMs: at }, at, hints)).toBe(true);
    expect(flushDue({ bytes: 1, oldestMs: at }, at, { intervalSeconds: 0, sizeMb: 1 })).toBe(true);
  });

  it('cuts records into invocations of at most the processor size, a larger record alone', () => {
    expect(invocationSizes([3, 3, 3, 3], 6)).toEqual([2, 2]);
    expect(invocationSizes([10, 1, 1], 6)).toEqual([1, 2]);
    expect(invocationSizes([], 6)).toEqual([]);
  });
});

describe('local Firehose transformation outcome', () => {
  const attempt = { lambdaArn: 'arn:fn', attemptsMade: 1, nowMs: at + 1000 };
  const records = [0, 1, 2, 3].map(buffered);

  it('delivers Ok data in record order, counts Dropped, and sends ProcessingFailed raw data to the error output', () => {
    const outcome = deliveryOutcome(
      records,
      {
        ok: true,
        payload: {
          records: [
            { recordId: 'id-1', result: 'Ok', data: Buffer.from('b\n').toString('base64') },
            { recordId: 'id-0', result: 'Ok', data: Buffer.from('a\n').toString('base64') },
            { recordId: 'id-2', result: 'Dropped' },
            { recordId: 'id-3', result: 'ProcessingFailed' },
          ],
        },
      },
      attempt,
    );
    expect(Buffer.concat(outcome.delivered).toString()).toBe('a\nb\n');
    expect(outcome.dropped).toBe(1);
    expect(outcome.failed).toEqual([
      {
        attemptsMade: 1,
        arrivalTimestamp: at + 3,
        errorCode: 'Lambda.ProcessingFailedStatus',
        errorMessage: 'ProcessingFailed status set for record',
        attemptEndingTimestamp: at + 1000,
        rawData: Buffer.from('raw-3').toString('base64'),
        lambdaArn: 'arn:fn',
      },
    ]);
  });

  it('fails records the response leaves out, answers twice or answers Ok without data', () => {
    const outcome = deliveryOutcome(
      records,
      {
        ok: true,
        payload: {
          records: [
            { recordId: 'id-0', result: 'Ok' },
            { recordId: 'id-1', result: 'Dropped' },
            { recordId: 'id-1', result: 'Dropped' },
          ],
        },
      },
      attempt,
    );
    expect(outcome.failed.map((f) => f.errorCode)).toEqual([
      'Lambda.InvalidReturnedResult',
      'Lambda.DuplicatedRecordId',
      'Lambda.MissingRecordId',
      'Lambda.MissingRecordId',
    ]);
  });

  it('fails the whole invocation when the function errs or answers nonsense', () => {
    expect(
      deliveryOutcome(records, { ok: false, errorMessage: 'boom' }, attempt).failed.map((f) => f.errorCode),
    ).toEqual(Array(4).fill('Lambda.FunctionError'));
    expect(deliveryOutcome(records, { ok: true, payload: null }, attempt).failed).toHaveLength(4);
  });

  it('builds the event Firehose sends for a Kinesis source', () => {
    const event = transformationEvent([buffered(0)], {
      invocationId: 'inv',
      deliveryStreamArn: 'arn:ds',
      sourceStreamArn: 'arn:ks',
      region: 'us-east-1',
    });
    expect(event).toEqual({
      invocationId: 'inv',
      deliveryStreamArn: 'arn:ds',
      sourceKinesisStreamArn: 'arn:ks',
      region: 'us-east-1',
      records: [
        {
          recordId: 'id-0',
          approximateArrivalTimestamp: at,
          data: Buffer.from('raw-0').toString('base64'),
          kinesisRecordMetadata: {
            shardId: 'shardId-000000000000',
            partitionKey: 'pk-0',
            approximateArrivalTimestamp: at,
            sequenceNumber: '100',
            subsequenceNumber: '',
          },
        },
      ],
    });
  });
});
