import { describe, expect, it } from 'vitest';
import {
  functionNameOf,
  invocationAccepted,
  replayOfFailedBatch,
  replayOfLetter,
} from '../../../scripts/lib/redrive/kept.ts';

const kinesisArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/refarch-dev-ActivityStream';
const tableStream = 'arn:aws:dynamodb:us-east-1:000000000000:table/refarch-dev-Notes/stream/2026-01-01T00:00:00.000';
const consumerOf = (arn: string) => (arn.startsWith('arn:aws:dynamodb:') ? 'refarch-dev-indexNotes' : undefined);
const kinesisRecord = {
  eventSourceARN: kinesisArn,
  kinesis: { data: 'eyJ4IjoxfQ==', partitionKey: 'alice', sequenceNumber: '7' },
};

describe('what redrive does with a kept failure', () => {
  it('puts a Kinesis record of a dead letter back on its stream, raw', () => {
    const letter = {
      reason: 'schema',
      eventSourceARN: kinesisArn,
      sequenceNumber: '7',
      eventID: 'shardId-0:7',
      record: kinesisRecord,
    };
    expect(replayOfLetter(JSON.stringify(letter), consumerOf)).toEqual({
      kind: 'put',
      streamArn: kinesisArn,
      records: [{ data: 'eyJ4IjoxfQ==', partitionKey: 'alice' }],
    });
  });

  it('sends a DynamoDB-stream record through its function again (a table stream cannot be written to)', () => {
    const record = { eventSourceARN: tableStream, dynamodb: { SequenceNumber: '1' } };
    expect(replayOfLetter(JSON.stringify({ reason: 'x', eventSourceARN: tableStream, record }), consumerOf)).toEqual({
      kind: 'invoke',
      functionName: 'refarch-dev-indexNotes',
      event: { Records: [record] },
      mode: 'sync',
    });
  });

  it('re-sends the event of an async invocation record to its function, asynchronously', () => {
    const record = {
      requestContext: {
        functionArn: 'arn:aws:lambda:us-east-1:0:function:refarch-dev-renderHtml:$LATEST',
        condition: 'RetriesExhausted',
      },
      requestPayload: { Records: [1] },
    };
    expect(replayOfLetter(JSON.stringify(record), consumerOf)).toEqual({
      kind: 'invoke',
      functionName: 'refarch-dev-renderHtml',
      event: { Records: [1] },
      mode: 'async',
    });
  });

  it('keeps what cannot be replayed as it is, with the reason', () => {
    expect(replayOfLetter('nope', consumerOf)).toMatchObject({ kind: 'keep' });
    expect(
      replayOfLetter(
        JSON.stringify({ reason: 'too big', eventSourceARN: kinesisArn, record: { truncated: true } }),
        consumerOf,
      ),
    ).toMatchObject({ kind: 'keep', reason: expect.stringContaining('too large') });
    expect(
      replayOfLetter(
        JSON.stringify({ reason: 'not UTF-8', eventSourceARN: 'arn:aws:s3:::in', record: {} }),
        consumerOf,
      ),
    ).toMatchObject({ kind: 'keep', reason: expect.stringContaining('not UTF-8') });
    expect(
      replayOfLetter(JSON.stringify({ requestContext: {}, KinesisBatchInfo: { streamArn: kinesisArn } }), consumerOf),
    ).toMatchObject({ kind: 'keep', reason: expect.stringContaining('position only') });
  });

  it('replays a failed batch kept in S3 from its payload: Kinesis records onto the stream, DynamoDB ones through the function', () => {
    const kinesisBatch = {
      requestContext: { functionArn: 'arn:aws:lambda:us-east-1:0:function:refarch-dev-processActivityEvents' },
      KinesisBatchInfo: { streamArn: kinesisArn },
      payload: JSON.stringify({ Records: [kinesisRecord, kinesisRecord] }),
    };
    expect(replayOfFailedBatch(JSON.stringify(kinesisBatch), consumerOf)).toMatchObject({
      kind: 'put',
      streamArn: kinesisArn,
      records: [{ partitionKey: 'alice' }, { partitionKey: 'alice' }],
    });
    const event = { Records: [{ eventSourceARN: tableStream, dynamodb: {} }] };
    const tableBatch = {
      requestContext: { functionArn: 'arn:aws:lambda:us-east-1:0:function:refarch-dev-indexNotes' },
      DDBStreamBatchInfo: { streamArn: tableStream },
      payload: JSON.stringify(event),
    };
    expect(replayOfFailedBatch(JSON.stringify(tableBatch), consumerOf)).toMatchObject({
      kind: 'invoke',
      functionName: 'refarch-dev-indexNotes',
      event,
      mode: 'sync',
    });
    expect(replayOfFailedBatch(JSON.stringify({ ...tableBatch, payload: undefined }), consumerOf)).toMatchObject({
      kind: 'keep',
    });
  });

  it('accepts a synchronous replay only without an error and without batch item failures', () => {
    expect(invocationAccepted({ ok: true, payload: null })).toBe(true);
    expect(invocationAccepted({ ok: true, payload: { batchItemFailures: [] } })).toBe(true);
    expect(invocationAccepted({ ok: true, payload: { batchItemFailures: [{ itemIdentifier: '1' }] } })).toBe(false);
    expect(invocationAccepted({ ok: false })).toBe(false);
    expect(functionNameOf('arn:aws:lambda:us-east-1:0:function:f:$LATEST')).toBe('f');
  });
});
