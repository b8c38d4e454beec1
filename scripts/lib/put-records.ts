// What the publishing scripts share: PutRecords in calls of up to 500, entries Kinesis rejects (or a failed
// call) retried with backoff a bounded number of times, so a producer never silently drops what it was given.
import { setTimeout as sleep } from 'node:timers/promises';
import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { backoffMs } from '../../src/adapters/dynamodb.ts';

export const PUT_RECORDS_LIMIT = 500;
const MAX_ROUNDS = 8;

export interface PutOutcome<T> {
  accepted: T[];
  /** Items still rejected after the last round. */
  failed: T[];
  /** Entries sent again (one per entry per retry). */
  retried: number;
  lastError: string;
}

export async function putWithRetries<T>(
  kinesis: KinesisClient,
  stream: string,
  items: readonly T[],
  toEntry: (item: T) => PutRecordsRequestEntry,
  rounds = MAX_ROUNDS,
): Promise<PutOutcome<T>> {
  const outcome: PutOutcome<T> = { accepted: [], failed: [], retried: 0, lastError: '' };
  for (let start = 0; start < items.length; start += PUT_RECORDS_LIMIT) {
    let pending = items.slice(start, start + PUT_RECORDS_LIMIT);
    for (let round = 0; pending.length > 0 && round < rounds; round += 1) {
      if (round > 0) {
        outcome.retried += pending.length;
        await sleep(backoffMs(round, 50, 2_000));
      }
      const attempt = pending;
      try {
        const output = await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: attempt.map(toEntry) }));
        pending = attempt.filter((_item, index) => {
          const result = output.Records?.[index];
          if (result?.ErrorCode !== undefined) outcome.lastError = `${result.ErrorCode}: ${result.ErrorMessage ?? ''}`;
          return result === undefined || result.ErrorCode !== undefined;
        });
      } catch (error) {
        outcome.lastError = (error as Error).message;
      }
      outcome.accepted.push(...attempt.filter((item) => !pending.includes(item)));
    }
    outcome.failed.push(...pending);
  }
  return outcome;
}
