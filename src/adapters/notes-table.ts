import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NoteItem } from '../domain/mobile/note.ts';
import { batchGetAll, dynamoDb } from './dynamodb.ts';

/** The key of a note in Notes: always the caller's user id with the note id. */
// A type alias, not an interface: it must be assignable to Record<string, unknown> keys.
export type NoteKey = { UserId: string; NoteId: string };

/** Stores a new note; the id is ours and fresh, but a collision must never overwrite another note. */
export async function insertNote(table: string, item: NoteItem): Promise<void> {
  await dynamoDb().send(
    new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(NoteId)' }),
  );
}

export async function readNote(table: string, key: NoteKey): Promise<Record<string, unknown> | undefined> {
  return (await dynamoDb().send(new GetCommand({ TableName: table, Key: key }))).Item;
}

/** Several notes by key (missing ones are absent); UnprocessedKeys are retried. */
export async function readNotes(
  table: string,
  keys: readonly NoteKey[],
  options: { consistentRead?: boolean } = {},
): Promise<Array<Record<string, unknown>>> {
  return batchGetAll(table, keys, options);
}

export type EditOutcome =
  | { kind: 'updated'; item: Record<string, unknown> }
  | { kind: 'missing' }
  | { kind: 'conflict'; currentVersion: number };

/**
 * Changes a note's headline and/or text in one conditional UpdateItem: only an existing note, only at
 * `expectedVersion` when given; every edit bumps Version and UpdatedAt. A refused edit says why.
 */
export async function editNote(
  table: string,
  key: NoteKey,
  edit: { headline?: string; text?: string; expectedVersion?: number },
  now: Date,
): Promise<EditOutcome> {
  const sets = [
    'UpdatedAt = :at',
    ...(edit.headline === undefined ? [] : ['Headline = :h']),
    ...(edit.text === undefined ? [] : ['#text = :t']),
  ];
  try {
    const output = await dynamoDb().send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')} ADD Version :one`,
        ConditionExpression: `attribute_exists(NoteId)${edit.expectedVersion === undefined ? '' : ' AND Version = :expected'}`,
        ...(edit.text === undefined ? {} : { ExpressionAttributeNames: { '#text': 'Text' } }),
        ExpressionAttributeValues: {
          ':at': now.toISOString(),
          ':one': 1,
          ...(edit.headline === undefined ? {} : { ':h': edit.headline }),
          ...(edit.text === undefined ? {} : { ':t': edit.text }),
          ...(edit.expectedVersion === undefined ? {} : { ':expected': edit.expectedVersion }),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'updated', item: output.Attributes ?? {} };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const version = error.Item?.Version?.N;
    return version === undefined ? { kind: 'missing' } : { kind: 'conflict', currentVersion: Number(version) };
  }
}

/** Deletes a note if it is there (deleting an absent note is not an error: DELETE is idempotent). */
export async function removeNote(table: string, key: NoteKey): Promise<void> {
  await dynamoDb().send(new DeleteCommand({ TableName: table, Key: key }));
}
