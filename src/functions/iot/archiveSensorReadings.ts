import { gzipSync } from 'node:zlib';
import type { KinesisStreamRecord } from 'aws-lambda';
import { writeObject } from '../../adapters/s3.ts';
import { step } from '../../adapters/tracing.ts';
import { archiveObjects } from '../../domain/iot/archive.ts';
import { parseReadingText, type SensorReading } from '../../domain/iot/reading.ts';
import { ok, type Result } from '../../domain/result.ts';
import { envConfig, string } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { streamConsumer } from '../shared/stream-consumer.ts';
import { shardIdOf } from '../shared/stream.ts';

const config = envConfig({ bucket: string('ARCHIVE_BUCKET') });

interface Archived {
  reading: SensorReading;
  shardId: string;
  sequenceNumber: string;
}

/**
 * SensorEventStream -> ArchiveBucket: one gzip NDJSON object per batch and reading hour, under
 * year=/month=/day=/hour=/, keyed by shard and sequence numbers so a retried batch overwrites its object.
 * Invalid readings are not archived (no dead-letter queue here: storeSensorReadings sends them to its own).
 */
export const handler = streamConsumer({
  decode: decodeReading,
  process: archiveSensorReadings,
  logMessage: 'sensor batch archived',
});

async function archiveSensorReadings(records: Archived[]) {
  const objects = archiveObjects(records);
  const outcomes = await step('store', () =>
    Promise.allSettled(
      objects.map(({ key, lines }) =>
        writeObject(config().bucket, key, gzipSync(`${lines.join('\n')}\n`), {
          contentType: 'application/x-ndjson',
          contentEncoding: 'gzip',
        }),
      ),
    ),
  );
  const failed = objects.flatMap((object, i) => (outcomes[i]!.status === 'rejected' ? [object] : []));
  for (const object of failed)
    logger.warn('archive object not written; its readings will be retried', { key: object.key });
  return {
    failed: failed.flatMap((object) => object.sequenceNumbers),
    log: { archived: records.length, objects: objects.length, failedObjects: failed.length },
  };
}

function decodeReading(record: KinesisStreamRecord, now: number): Result<Archived> {
  const parsed = parseReadingText(Buffer.from(record.kinesis.data, 'base64').toString('utf8'), now);
  return parsed.ok
    ? ok({
        reading: parsed.value,
        shardId: shardIdOf(record.eventID) ?? 'shard',
        sequenceNumber: record.kinesis.sequenceNumber,
      })
    : parsed;
}
