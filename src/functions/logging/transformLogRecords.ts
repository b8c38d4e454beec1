import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { putRecordsSettled } from '../../adapters/kinesis.ts';
import { transformRecords, withUnreingested } from '../../domain/logging/transform.ts';
import { envConfig, string } from '../shared/config.ts';
import { observedHandler } from '../shared/handler.ts';
import { logger } from '../shared/logger.ts';

// The 6 MB response limit is Firehose's own (MAX_RESPONSE_BYTES in the domain), not a setting.
const config = envConfig({ stream: string('LOG_STREAM') });

/**
 * Firehose data transformation of CloudWatch Logs subscription records from LogStream: NDJSON per data
 * message, control messages dropped, undecodable records ProcessingFailed (Firehose writes them under
 * the error prefix). Records past the 6 MB response go back onto LogStream (original data, or split by
 * log events when one record alone is too large); one that cannot be put back is ProcessingFailed.
 */
export const handler = observedHandler(transformLogRecords);

async function transformLogRecords(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  const { stream } = config();
  let plan = transformRecords(
    event.records.map((record) => ({
      recordId: record.recordId,
      data: record.data,
      partitionKey: record.kinesisRecordMetadata?.partitionKey,
    })),
  );
  if (plan.reingest.length > 0) {
    const accepted = await putRecordsSettled(
      stream,
      plan.reingest.map(({ data, partitionKey }) => ({ Data: data, PartitionKey: partitionKey })),
    );
    plan = withUnreingested(
      plan,
      new Set(plan.reingest.filter((_entry, index) => !accepted[index]).map(({ recordId }) => recordId)),
    );
  }
  for (const { recordId, reason } of plan.failures) logger.warn('log record not transformed', { recordId, reason });
  const count = (result: string) => plan.records.filter((record) => record.result === result).length;
  logger.info('log records transformed', {
    invocationId: event.invocationId,
    records: event.records.length,
    ok: count('Ok'),
    dropped: count('Dropped'),
    processingFailed: count('ProcessingFailed'),
    reingested: plan.reingest.length,
  });
  return { records: plan.records };
}
