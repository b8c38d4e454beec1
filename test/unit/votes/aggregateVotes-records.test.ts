import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { decodeVoteChange } from '../../../src/functions/votes/aggregateVotes.ts';
import { batchItemFailures, decodeRecords } from '../../../src/functions/shared/stream.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const sample = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../events/aggregateVotes.json'), 'utf8'),
) as DynamoDBStreamEvent;
const withImage = (record: DynamoDBRecord, NewImage: unknown): DynamoDBRecord => ({
  ...record,
  dynamodb: { ...record.dynamodb, NewImage: NewImage as never },
});

describe('aggregateVotes: reading VoteApp stream records', () => {
  it('reads the sample event (INSERTs and a MODIFY) as vote changes', () => {
    expect(sample.Records.map((record) => record.eventName)).toEqual(['INSERT', 'INSERT', 'MODIFY']);
    const { values, deadLetters } = decodeRecords(sample.Records, decodeVoteChange);
    expect(deadLetters).toEqual([]);
    expect(values).toEqual([
      { voterId: 'sample-voter', version: 1, candidate: 'RED', sequenceNumber: '4421584500000000017450439091' },
      {
        voterId: expect.stringMatching(/^sms:[0-9a-f]{64}$/),
        version: 1,
        candidate: 'GREEN',
        sequenceNumber: '4421584600000000017450439112',
      },
      { voterId: 'sample-voter', version: 2, candidate: 'BLUE', sequenceNumber: '4421584700000000017450439168' },
    ]);
  });

  it('dead-letters records that can never be applied, with the reason, position and raw record', () => {
    const [first] = sample.Records;
    const poison = [
      withImage(first!, { VoterId: { S: 'a' }, Candidate: { S: 'RED' } }),
      withImage(first!, { VoterId: { S: 'a' }, Candidate: { S: 'RED' }, Version: { X: '1' } }),
      withImage(first!, { Candidate: { S: 'RED' }, Version: { N: '1' } }),
      { ...first!, dynamodb: { ...first!.dynamodb, SequenceNumber: undefined } },
    ];
    const { values, deadLetters } = decodeRecords([...poison, ...sample.Records], decodeVoteChange);
    expect(values).toHaveLength(3);
    expect(deadLetters.map((letter) => letter.reason)).toEqual([
      'no numeric Version',
      expect.stringMatching(/^undecodable record/),
      'no VoterId',
      'no SequenceNumber',
    ]);
    expect(deadLetters[0]).toEqual({
      reason: 'no numeric Version',
      eventSourceARN: first!.eventSourceARN,
      sequenceNumber: first!.dynamodb!.SequenceNumber,
      eventID: first!.eventID,
      record: poison[0],
    });
  });

  it('dead-letters an image whose attributes are only under an attribute named __proto__', () => {
    // An attribute called __proto__ is data: its map's attributes must not read as the image's own.
    const hidden = JSON.parse(
      '{"__proto__": {"M": {"VoterId": {"S": "a"}, "Candidate": {"S": "RED"}, "Version": {"N": "1"}}}}',
    ) as unknown;
    const { values, deadLetters } = decodeRecords([withImage(sample.Records[0]!, hidden)], decodeVoteChange);
    expect(values).toEqual([]);
    expect(deadLetters.map((letter) => letter.reason)).toEqual(['no VoterId']);
  });

  it('reports each failed sequence number once', () => {
    expect(batchItemFailures(['2', '1', '2'])).toEqual({
      batchItemFailures: [{ itemIdentifier: '2' }, { itemIdentifier: '1' }],
    });
  });
});
