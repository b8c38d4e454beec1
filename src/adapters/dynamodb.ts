import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { faultRate, injectWriteFaults } from './faults.ts';
import { keepAliveHandler } from './http-handler.ts';
import { traced } from './tracing.ts';

let documentClient: DynamoDBDocumentClient | undefined;

/** The one DynamoDB document client of this function instance, created on first use. */
export function dynamoDb(): DynamoDBDocumentClient {
  if (!documentClient) {
    const client = traced(new DynamoDBClient({ requestHandler: keepAliveHandler() }));
    injectWriteFaults(client, faultRate(process.env.FAULT_DYNAMODB_WRITE_RATE));
    documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }
  return documentClient;
}

const BATCH_GET_LIMIT = 100;
const MAX_UNPROCESSED_ROUNDS = 8;

/**
 * All items with these keys (missing items are simply absent), in BatchGetItem requests of 100 keys;
 * UnprocessedKeys are retried with backoff and never dropped: if they stay unprocessed, this throws.
 */
export async function batchGetAll(
  table: string,
  keys: ReadonlyArray<Record<string, unknown>>,
  options: { consistentRead?: boolean } = {},
): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
    items.push(
      ...(await batchGetChunk(table, keys.slice(start, start + BATCH_GET_LIMIT), options.consistentRead ?? false)),
    );
  }
  return items;
}

async function batchGetChunk(table: string, keys: Array<Record<string, unknown>>, consistentRead: boolean) {
  const items: Array<Record<string, unknown>> = [];
  let pending = keys;
  for (let round = 0; pending.length > 0; round += 1) {
    if (round >= MAX_UNPROCESSED_ROUNDS)
      throw new Error(`BatchGetItem on ${table}: ${pending.length} keys still unprocessed`);
    if (round > 0) await sleep(backoffMs(round));
    const output = await dynamoDb().send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: consistentRead } } }),
    );
    items.push(...(output.Responses?.[table] ?? []));
    pending = output.UnprocessedKeys?.[table]?.Keys ?? [];
  }
  return items;
}

/** Exponential backoff with full jitter (AWS's recommendation for retries under throttling). */
export function backoffMs(attempt: number, baseMs = 25, capMs = 1_000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}
