import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { encodeTrackingEvent } from '../../../../src/domain/tracking/tracking-event.ts';
import { decodeRecords, shardIdOf } from '../../../../src/functions/shared/stream.ts';
import { decodeTrackingRecord } from '../../../../src/functions/tracking/persistTrackingEvents.ts';
import { sampleEvent } from './sample.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const sample = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../events/persistTrackingEvents.json'), 'utf8')) as KinesisStreamEvent;
const withData = (record: KinesisStreamRecord, data: Uint8Array): KinesisStreamRecord => ({ ...record, kinesis: { ...record.kinesis, data: Buffer.from(data).toString('base64') } });

describe('persistTrackingEvents: reading TrackingEventStream records', () => {
  it('reads the sample event as valid, positioned events', () => {
    const { values, deadLetters } = decodeRecords(sample.Records, decodeTrackingRecord);
    expect(deadLetters).toEqual([]);
    expect(values.map(({ event, sequenceNumber }) => [event.messageId, sequenceNumber])).toEqual(sample.Records.map((r) => [r.kinesis.partitionKey, r.kinesis.sequenceNumber]));
    expect(values[0]!.event).toMatchObject({ programId: 'prog-1001', customerId: 1042, isValid: true, timestampMs: 1795342530412 });
  });

  it('dead-letters undecodable and invalid records with reason, shard, sequence number and the raw data', () => {
    const [first] = sample.Records;
    const garbage = withData(first!, new TextEncoder().encode('{"programId":"p"}'));
    const invalid = withData(first!, encodeTrackingEvent(sampleEvent({ messageId: '' })));
    const { values, deadLetters } = decodeRecords([garbage, invalid, ...sample.Records], decodeTrackingRecord);
    expect(values).toHaveLength(sample.Records.length);
    expect(deadLetters.map((letter) => letter.reason)).toEqual([expect.stringMatching(/^undecodable record: /), 'invalid event: messageId is missing']);
    expect(deadLetters[0]).toEqual({
      reason: deadLetters[0]!.reason, eventSourceARN: first!.eventSourceARN, shardId: 'shardId-000000000000',
      sequenceNumber: first!.kinesis.sequenceNumber, eventID: first!.eventID, record: garbage,
    });
    expect((deadLetters[0]!.record as KinesisStreamRecord).kinesis.data).toBe(Buffer.from('{"programId":"p"}').toString('base64'));
  });

  it('takes the shard id from the event id', () => {
    expect(shardIdOf('shardId-000000000002:4965798120853410687')).toBe('shardId-000000000002');
    expect(shardIdOf('no-separator')).toBeUndefined();
    expect(shardIdOf(undefined)).toBeUndefined();
  });
});
