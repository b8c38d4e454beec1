import { gzipSync } from 'node:zlib';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { writeBytes } from '../../adapters/s3.ts';
import { step } from '../../adapters/tracing.ts';
import { archiveObjects } from '../../domain/iot/archive.ts';
import { parseReadingText, type SensorReading } from '../../domain/iot/reading.ts';
import { lazy, requiredEnv } from '../shared/config.ts';
import { observedHandler } from '../shared/handler.ts';
import { logger } from '../shared/logger.ts';
import { batchItemFailures, shardIdOf } from '../shared/stream.ts';

const config = lazy(() => ({ bucket: requiredEnv('ARCHIVE_BUCKET') }));

/**
 * SensorEventStream -> ArchiveBucket: one gzip NDJSON object per batch and reading hour, under
 * year=/month=/day=/hour=/, keyed by shard and sequence numbers so a retried batch overwrites its object.
 * Invalid readings are not archived (storeSensorReadings sends them to the dead-letter queue).
 */
export const handler = observedHandler(archiveSensorReadings);

async function archiveSensorReadings(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
  const now = Date.now();
  const records: Array<{ reading: SensorReading; shardId: string; sequenceNumber: string }> = [];
  for (const record of event.Records) {
    const parsed = parseReadingText(Buffer.from(record.kinesis.data, 'base64').toString('utf8'), now);
    if (parsed.ok) records.push({ reading: parsed.value, shardId: shardIdOf(record.eventID) ?? 'shard', sequenceNumber: record.kinesis.sequenceNumber });
  }
  const objects = archiveObjects(records);
  const outcomes = await step('store', () => Promise.allSettled(objects.map(({ key, lines }) => writeBytes(config().bucket, key, gzipSync(`${lines.join('\n')}\n`), {
    contentType: 'application/x-ndjson', contentEncoding: 'gzip',
  }))));
  const failed = objects.flatMap((object, i) => (outcomes[i]!.status === 'rejected' ? [object] : []));
  for (const object of failed) logger.warn('archive object not written; its readings will be retried', { key: object.key });
  logger.info('sensor batch archived', { records: event.Records.length, archived: records.length, objects: objects.length, failedObjects: failed.length });
  return batchItemFailures(failed.flatMap((object) => object.sequenceNumbers));
}
