import { sendToDeadLetterQueue, type DeadLetter } from '../../adapters/dead-letter.ts';
import { step } from '../../adapters/tracing.ts';
import { logger } from './logger.ts';

/**
 * The one way a stream consumer gives up on records that can never succeed: sends them to its dead-letter
 * queue and logs each reason and position (never the data). Returns the sequence numbers of the letters
 * that could not be sent, which the caller reports as batch item failures rather than lose them.
 * Traced as the step `dead-letter`.
 */
export async function deadLetter(queueUrl: string, letters: readonly DeadLetter[]): Promise<string[]> {
  if (letters.length === 0) return [];
  const unsent = await step('dead-letter', () => sendToDeadLetterQueue(queueUrl, letters));
  for (const letter of letters)
    logger.warn('record sent to the dead-letter queue', {
      reason: letter.reason,
      sequenceNumber: letter.sequenceNumber,
    });
  // A record without a position cannot be reported as a batch item failure: fail the batch instead.
  return unsent.map((letter) => letter.sequenceNumber!);
}

/** A stream consumer's `deadLetters`: sends to the queue at `queueUrl()` (read per batch, so config errors surface). */
export function toDeadLetterQueue(queueUrl: () => string): (letters: readonly DeadLetter[]) => Promise<string[]> {
  return (letters) => deadLetter(queueUrl(), letters);
}
