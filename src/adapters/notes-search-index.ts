import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Posting } from '../domain/mobile/search.ts';
import type { IndexChanges } from '../domain/mobile/search-index.ts';
import { writeAll, type PutAllOptions, type WriteRequest } from './batch-writer.ts';
import { dynamoDb } from './dynamodb.ts';

/** Every note under one index partition (`<userId>#<term>`), all pages. */
export async function postingsOf(table: string, userTerm: string): Promise<Posting[]> {
  const postings: Posting[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const output = await dynamoDb().send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'UserTerm = :key',
        ExpressionAttributeValues: { ':key': userTerm },
        ProjectionExpression: 'NoteId, Weight, UpdatedAt',
        ExclusiveStartKey,
      }),
    );
    for (const item of output.Items ?? [])
      postings.push({ noteId: String(item.NoteId), weight: Number(item.Weight), updatedAt: String(item.UpdatedAt) });
    ExclusiveStartKey = output.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return postings;
}

/** Applies index changes with BatchWriteItem (unprocessed requests retried); returns the requests still unwritten. */
export async function applyIndexChanges(
  table: string,
  changes: IndexChanges,
  options: Pick<PutAllOptions, 'onError'> = {},
): Promise<WriteRequest[]> {
  const requests: WriteRequest[] = [
    ...changes.deletes.map((Key) => ({ DeleteRequest: { Key } })),
    ...changes.puts.map((Item) => ({ PutRequest: { Item } })),
  ];
  return writeAll(table, requests, options);
}
