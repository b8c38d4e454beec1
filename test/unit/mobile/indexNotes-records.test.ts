import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { decodeRecords } from '../../../src/functions/shared/stream.ts';
import { decodeNoteChange } from '../../../src/functions/mobile/indexNotes.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const sample = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../events/indexNotes.json'), 'utf8'),
) as DynamoDBStreamEvent;
const [first] = sample.Records;
const withKeys = (Keys: unknown): DynamoDBRecord => ({
  ...first!,
  dynamodb: { ...first!.dynamodb, Keys: Keys as never },
});
const noteId = first!.dynamodb!.Keys!.NoteId;

describe('indexNotes: reading Notes stream records', () => {
  it('reads the sample event as note changes', () => {
    const { values, deadLetters } = decodeRecords(sample.Records, decodeNoteChange);
    expect(deadLetters).toEqual([]);
    expect(values[0]).toMatchObject({
      userId: first!.dynamodb!.Keys!.UserId!.S,
      noteId: noteId!.S,
      sequenceNumber: first!.dynamodb!.SequenceNumber,
    });
  });

  // Keys no read of the Notes table accepts made the whole batch's read fail (the function crashed): they are dead-lettered.
  it.each([
    ['an empty UserId', withKeys({ UserId: { S: '' }, NoteId: noteId })],
    ['a UserId over 2048 bytes', withKeys({ UserId: { S: 'u'.repeat(3000) }, NoteId: noteId })],
    ['an empty NoteId', withKeys({ UserId: { S: 'alice' }, NoteId: { S: '' } })],
    ['a NoteId that is not a UUID', withKeys({ UserId: { S: 'alice' }, NoteId: { S: 'n'.repeat(1100) } })],
    [
      'keys only under an attribute named __proto__',
      withKeys(JSON.parse(`{"__proto__": {"M": {"UserId": {"S": "alice"}, "NoteId": ${JSON.stringify(noteId)}}}}`)),
    ],
  ])('dead-letters a record with %s', (_label, record) => {
    const { values, deadLetters } = decodeRecords([record], decodeNoteChange);
    expect(values).toEqual([]);
    expect(deadLetters.map((letter) => letter.reason)).toEqual([
      expect.stringMatching(/^Keys must hold a UserId .* and a NoteId/),
    ]);
  });
});
