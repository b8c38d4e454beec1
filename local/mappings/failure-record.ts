/** Why a batch was given up: retries used up, or its records became older than maximumRecordAgeInSeconds. */
export type StreamFailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/**
 * The invocation record Lambda sends to a stream mapping's on-failure destination (docs: "Retain
 * discarded batch records"): the batch's position, not its records.
 */
export function streamFailureRecord(input: {
  batchInfoKey: 'KinesisBatchInfo' | 'DDBStreamBatchInfo';
  condition: StreamFailureCondition;
  requestId: string;
  functionArn: string;
  approximateInvokeCount: number;
  /** True when the last invocation failed as a function error (thrown, timed out); false for partial failures. */
  functionError: boolean;
  shardId: string;
  streamArn: string;
  records: Array<{ sequenceNumber: string; arrivalMs: number }>;
  now: Date;
}) {
  const first = input.records[0];
  const last = input.records[input.records.length - 1];
  if (!first || !last) throw new Error('an on-failure record needs at least one record');
  return {
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(input.functionError ? { functionError: 'Unhandled' } : {}),
    },
    version: '1.0',
    timestamp: input.now.toISOString(),
    [input.batchInfoKey]: {
      shardId: input.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: new Date(first.arrivalMs).toISOString(),
      approximateArrivalOfLastRecord: new Date(last.arrivalMs).toISOString(),
      batchSize: input.records.length,
      streamArn: input.streamArn,
    },
  };
}

/**
 * What Lambda writes to an S3 on-failure destination (docs: "Example Amazon S3 invocation record"): the
 * same invocation record plus `payload`, the whole event the function was given as an escaped JSON string.
 */
export function withPayload<T extends object>(record: T, event: { Records: unknown[] }): T & { payload: string } {
  return { ...record, payload: JSON.stringify(event) };
}

/**
 * The key of that object (docs: "aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>"),
 * dates in UTC.
 */
export function failedBatchObjectKey(mappingUuid: string, shardId: string, now: Date, randomId: string): string {
  const iso = now.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const [date] = iso.split('T') as [string];
  return `aws/lambda/${mappingUuid}/${shardId}/${date.replaceAll('-', '/')}/${date}T${iso.slice(11, 19).replaceAll(':', '.')}-${randomId}`;
}

/** An S3 bucket ARN (`arn:aws:s3:::name`), the one destination type that is given the records too. */
export function isBucketArn(arn: string): boolean {
  return /^arn:aws[a-zA-Z-]*:s3:::[^/]+$/.test(arn);
}
