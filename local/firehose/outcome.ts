/**
 * What Firehose makes of a transformation response (docs: "Data transformation status model", "Handle
 * failure in data transformation"), as a pure function: the data to deliver, and the records that go
 * to the error prefix, each as the JSON document Firehose writes there.
 */

export interface BufferedRecord {
  recordId: string;
  data: Buffer;
  arrivalMs: number;
  shardId: string;
  partitionKey: string;
  sequenceNumber: string;
}

export interface FailedRecord {
  attemptsMade: number;
  arrivalTimestamp: number;
  errorCode: string;
  errorMessage: string;
  attemptEndingTimestamp: number;
  rawData: string;
  lambdaArn: string;
}

export interface DeliveryOutcome {
  /** Ok records' transformed data, concatenated in record order. */
  delivered: Buffer[];
  failed: FailedRecord[];
  /** Dropped on purpose by the transformation. */
  dropped: number;
}

export type Invocation = { ok: true; payload: unknown } | { ok: false; errorMessage: string };

interface Attempt {
  lambdaArn: string;
  attemptsMade: number;
  nowMs: number;
}

export function deliveryOutcome(
  records: readonly BufferedRecord[],
  invocation: Invocation,
  attempt: Attempt,
): DeliveryOutcome {
  const failedAll = (errorCode: string, errorMessage: string) => ({
    delivered: [],
    dropped: 0,
    failed: records.map((r) => failedRecord(r, errorCode, errorMessage, attempt)),
  });
  if (!invocation.ok)
    return failedAll(
      'Lambda.FunctionError',
      `The Lambda function was invoked but it returned an error: ${invocation.errorMessage}`,
    );
  const answers = (invocation.payload as { records?: unknown } | null)?.records;
  if (!Array.isArray(answers))
    return failedAll('Lambda.InvalidResponse', 'The Lambda function response has no records array');
  const byId = new Map<string, { result?: unknown; data?: unknown }>();
  const duplicated = new Set<string>();
  for (const answer of answers as Array<{ recordId?: unknown }>) {
    const id = String(answer?.recordId);
    if (byId.has(id)) duplicated.add(id);
    byId.set(id, answer as { result?: unknown; data?: unknown });
  }
  const outcome: DeliveryOutcome = { delivered: [], failed: [], dropped: 0 };
  for (const record of records) {
    const answer = byId.get(record.recordId);
    const fail = (errorCode: string, errorMessage: string) =>
      outcome.failed.push(failedRecord(record, errorCode, errorMessage, attempt));
    if (!answer) fail('Lambda.MissingRecordId', 'The Lambda function response does not answer this record');
    else if (duplicated.has(record.recordId))
      fail('Lambda.DuplicatedRecordId', 'The Lambda function response answers this record more than once');
    else if (answer.result === 'Dropped') outcome.dropped += 1;
    else if (answer.result === 'ProcessingFailed')
      fail('Lambda.ProcessingFailedStatus', 'ProcessingFailed status set for record');
    else if (answer.result === 'Ok' && typeof answer.data === 'string')
      outcome.delivered.push(Buffer.from(answer.data, 'base64'));
    else
      fail(
        'Lambda.InvalidReturnedResult',
        `The Lambda function returned result ${JSON.stringify(answer.result)}${answer.result === 'Ok' ? ' without data' : ''}`,
      );
  }
  return outcome;
}

function failedRecord(record: BufferedRecord, errorCode: string, errorMessage: string, attempt: Attempt): FailedRecord {
  return {
    attemptsMade: attempt.attemptsMade,
    arrivalTimestamp: record.arrivalMs,
    errorCode,
    errorMessage,
    attemptEndingTimestamp: attempt.nowMs,
    rawData: record.data.toString('base64'),
    lambdaArn: attempt.lambdaArn,
  };
}

/** The transformation event Firehose sends for records read from a Kinesis stream. */
export function transformationEvent(
  records: readonly BufferedRecord[],
  at: { invocationId: string; deliveryStreamArn: string; sourceStreamArn: string; region: string },
) {
  return {
    invocationId: at.invocationId,
    deliveryStreamArn: at.deliveryStreamArn,
    sourceKinesisStreamArn: at.sourceStreamArn,
    region: at.region,
    records: records.map((r) => ({
      recordId: r.recordId,
      approximateArrivalTimestamp: r.arrivalMs,
      data: r.data.toString('base64'),
      kinesisRecordMetadata: {
        shardId: r.shardId,
        partitionKey: r.partitionKey,
        approximateArrivalTimestamp: r.arrivalMs,
        sequenceNumber: r.sequenceNumber,
        subsequenceNumber: '',
      },
    })),
  };
}
