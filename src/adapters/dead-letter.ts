import { setTimeout as sleep } from 'node:timers/promises';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { backoffMs } from './dynamodb.ts';
import { sqs } from './sqs.ts';

/** A record that can never be processed, with the reason and where it was in its stream. */
export interface DeadLetter {
  reason: string;
  eventSourceARN: string | undefined;
  sequenceNumber: string | undefined;
  eventID: string | undefined;
  record: unknown;
}

const BATCH_ENTRIES = 10;
// SQS's classic size limit for a message and for a whole batch; a local SQS may not allow more.
const MAX_BATCH_BYTES = 256 * 1024;
const MAX_SEND_ROUNDS = 3;

/**
 * Sends dead letters to a queue (SendMessageBatch, 10 at a time) and returns those that could not
 * be sent, so the caller can report them as failed rather than lose them. A record too large for
 * one message is sent with its reason and position but without its data.
 */
export async function sendToDeadLetterQueue(queueUrl: string, letters: readonly DeadLetter[]): Promise<DeadLetter[]> {
  const unsent: DeadLetter[] = [];
  for (const batch of batches(letters.map((letter) => ({ letter, body: messageBody(letter) })))) {
    unsent.push(...(await sendBatch(queueUrl, batch)));
  }
  return unsent;
}

type Outgoing = { letter: DeadLetter; body: string };

async function sendBatch(queueUrl: string, batch: Outgoing[]): Promise<DeadLetter[]> {
  let pending = batch;
  for (let round = 0; round < MAX_SEND_ROUNDS && pending.length > 0; round += 1) {
    if (round > 0) await sleep(backoffMs(round));
    try {
      const output = await sqs().send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: pending.map((entry, index) => ({ Id: String(index), MessageBody: entry.body })),
        }),
      );
      const failedIds = new Set((output.Failed ?? []).map((failure) => failure.Id));
      pending = pending.filter((_entry, index) => failedIds.has(String(index)));
    } catch {
      // The whole request failed: try the whole batch again.
    }
  }
  return pending.map((entry) => entry.letter);
}

function messageBody(letter: DeadLetter): string {
  const body = JSON.stringify(letter);
  if (Buffer.byteLength(body) <= MAX_BATCH_BYTES) return body;
  return JSON.stringify({ ...letter, record: { truncated: true, bytes: Buffer.byteLength(body) } });
}

function batches(entries: Outgoing[]): Outgoing[][] {
  const result: Outgoing[][] = [];
  let current: Outgoing[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.body);
    if (current.length === BATCH_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}
