import type { SNSEvent } from 'aws-lambda';
import { sendToDeadLetterQueue, type DeadLetter } from '../../adapters/dead-letter.ts';
import { currentVersion, readObject, type ObjectVersion } from '../../adapters/s3.ts';
import { step } from '../../adapters/tracing.ts';
import { parseFileEvents, type ObjectChange } from '../../domain/files/object-changes.ts';
import { readSource } from '../../domain/files/source.ts';
import { envConfig, positiveInt, url } from '../shared/config.ts';
import { observedHandler } from '../shared/handler.ts';
import { logger } from '../shared/logger.ts';

/** A source file as read for one derivative: its decoded text, raw bytes and version. */
export interface Source {
  bucket: string;
  key: string;
  text: string;
  bytes: Uint8Array;
  version: ObjectVersion;
}

/** One artifact made from each Markdown source: how to write it and how to remove it. */
export interface Derivative {
  write(source: Source): Promise<void>;
  remove(source: { bucket: string; key: string }): Promise<void>;
}

// A source rewritten while its derivative was being made is read again, a few times at most.
const MAX_ROUNDS = 3;

const config = envConfig({
  deadLetterQueueUrl: url('DEAD_LETTER_QUEUE_URL'),
  maxBytes: positiveInt('MAX_SOURCE_BYTES'),
});

/**
 * The handler of a file-processing function: every record of every S3 notification the topic
 * delivers is applied to the derivative. Files that can never be converted go to the dead-letter
 * queue with the reason; any other failure fails the invocation after all records were tried, so
 * Lambda retries it (each step is idempotent) and finally sends it to the on-failure destination.
 * The derivative always ends up made from the source's current version, or absent when it is gone.
 */
export function fileChangeHandler(derivative: Derivative) {
  return observedHandler(async (event: SNSEvent): Promise<void> => {
    const { changes, rejected } = parseFileEvents(event);
    const letters: DeadLetter[] = rejected.map(({ reason, raw }) => ({
      reason,
      eventSourceARN: undefined,
      sequenceNumber: undefined,
      eventID: undefined,
      record: raw,
    }));
    const outcomes = await Promise.allSettled(changes.map((change) => apply(derivative, change)));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled' && outcome.value) letters.push(deadLetterFor(changes[i]!, outcome.value));
    });
    await step('dead-letter', () => deadLetter(letters));
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as Error] : []));
    logger.info('file changes applied', {
      changes: changes.length,
      deadLettered: letters.length,
      failed: failures.length,
    });
    if (failures.length > 0)
      throw new AggregateError(
        failures,
        `${failures.length} of ${changes.length} file changes failed: ${failures[0]!.message}`,
      );
  });
}

/** Applies one change; returns why the file can never be converted, if so. */
async function apply(derivative: Derivative, change: ObjectChange): Promise<string | undefined> {
  const { bucket, key } = change;
  if (change.kind === 'removed') {
    // The key may hold an object again: its own created event makes the derivative.
    if (await currentVersion(bucket, key)) return undefined;
    await derivative.remove({ bucket, key });
    logger.info('derivative removed', { key });
    return undefined;
  }
  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    const read = await readObject(bucket, key, config().maxBytes);
    if (read.kind === 'missing') {
      await derivative.remove({ bucket, key });
      return undefined;
    }
    const decoded =
      read.kind === 'too-large'
        ? {
            ok: false as const,
            reason: `the file is ${read.version.size} bytes; files over ${config().maxBytes} bytes are not converted`,
          }
        : readSource(read.bytes, { maxBytes: config().maxBytes });
    if (!decoded.ok) {
      await derivative.remove({ bucket, key }); // one made from an earlier version would be stale
      return decoded.reason;
    }
    await derivative.write({
      bucket,
      key,
      text: decoded.value,
      bytes: read.kind === 'found' ? read.bytes : new Uint8Array(),
      version: read.version,
    });
    const now = await currentVersion(bucket, key);
    if (!now) {
      // deleted while we wrote
      await derivative.remove({ bucket, key });
      return undefined;
    }
    if (now.eTag === read.version.eTag && now.versionId === read.version.versionId) {
      logger.info('derivative made', { key, eTag: read.version.eTag, bytes: read.version.size });
      return undefined;
    }
  }
  throw new Error(`${key} kept changing while it was converted`);
}

function deadLetterFor(change: ObjectChange, reason: string): DeadLetter {
  logger.warn('file sent to the dead-letter queue', { key: change.key, reason });
  return {
    reason,
    eventSourceARN: `arn:aws:s3:::${change.bucket}`,
    sequenceNumber: change.sequencer,
    eventID: undefined,
    record: {
      bucket: change.bucket,
      key: change.key,
      eventName: change.eventName,
      eTag: change.eTag,
      size: change.size,
      versionId: change.versionId,
    },
  };
}

async function deadLetter(letters: DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  const unsent = await sendToDeadLetterQueue(config().deadLetterQueueUrl, letters);
  if (unsent.length > 0) throw new Error(`${unsent.length} dead letters could not be sent`);
}

/** Which source version the artifact was made from (x-amz-meta-*: ASCII only, so the key is URI-encoded). */
export function sourceMetadata(source: {
  key: string;
  version: { eTag: string; versionId?: string };
}): Record<string, string> {
  return {
    'source-key': encodeURIComponent(source.key),
    'source-etag': source.version.eTag.replaceAll('"', ''),
    ...(source.version.versionId ? { 'source-version-id': source.version.versionId } : {}),
  };
}
