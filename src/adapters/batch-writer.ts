import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chunks } from '../domain/collections.ts';
import { backoffMs, dynamoDb } from './dynamodb.ts';
import { mapConcurrently } from './concurrency.ts';

type Item = Record<string, unknown>;

export interface PutAllOptions {
  /** Defaults to the function's shared document client. */
  client?: DynamoDBDocumentClient;
  /** BatchWriteItem requests in flight at once. */
  concurrency?: number;
  /** Attempts per chunk (the first one included) before its leftovers are given back. */
  maxRounds?: number;
  /** Wait before retry `round` (1, 2, …). */
  backoff?: (round: number) => number;
  onError?: (error: unknown) => void;
}

const BATCH_WRITE_LIMIT = 25;

/**
 * Puts items into a table with BatchWriteItem, 25 per request, a bounded number of requests at
 * once. UnprocessedItems (and requests that fail outright) are retried with backoff; whatever is
 * still unwritten after the retry budget is returned, never dropped, so the caller can report it.
 * Keys must be distinct: BatchWriteItem rejects a request naming one key twice.
 */
export async function putAll(table: string, items: readonly Item[], options: PutAllOptions = {}): Promise<Item[]> {
  const leftovers = await writeAll(
    table,
    items.map((Item) => ({ PutRequest: { Item } })),
    options,
  );
  return leftovers.flatMap((request) => ('PutRequest' in request ? [request.PutRequest.Item] : []));
}

/** One request of a BatchWriteItem: put an item or delete the item with a key. */
export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

/** As putAll, for any mix of puts and deletes (every key once); returns the requests still unwritten. */
export async function writeAll(
  table: string,
  requests: readonly WriteRequest[],
  options: PutAllOptions = {},
): Promise<WriteRequest[]> {
  const work = chunks(requests, BATCH_WRITE_LIMIT);
  const leftovers = await mapConcurrently(work, options.concurrency ?? 8, (chunk) => writeChunk(table, chunk, options));
  return leftovers.flat();
}

async function writeChunk(table: string, chunk: WriteRequest[], options: PutAllOptions): Promise<WriteRequest[]> {
  const client = options.client ?? dynamoDb();
  const maxRounds = options.maxRounds ?? 8;
  let pending = chunk;
  for (let round = 0; round < maxRounds && pending.length > 0; round += 1) {
    if (round > 0) await sleep((options.backoff ?? backoffMs)(round));
    try {
      const output = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (output.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    } catch (error) {
      // Throttled past the SDK's own retries, or the connection failed: try the whole chunk again.
      options.onError?.(error);
      // A request refused as invalid fails the same way every time: give it back at once.
      if ((error as { name?: string }).name === 'ValidationException') break;
    }
  }
  return pending;
}
