// What a dead letter or a kept failed batch holds, and how it is replayed: pure parsing, no I/O.
// Shapes: src/adapters/dead-letter.ts (a record that could never be processed: reason, position, the
// Lambda event record), Lambda's async invocation record (requestContext + requestPayload: the files
// pipeline), and Lambda's S3 on-failure object of a stream mapping (invocation record + `payload`, the
// whole event as a JSON string; local/mappings/failure-record.ts writes the same).

/** One Kinesis record to put back: its data (base64, as in the event) and partition key. */
export interface RawRecord {
  data: string;
  partitionKey: string;
}

export type Replay =
  /** Put the records back on the stream they came from (PutRecords). */
  | { kind: 'put'; streamArn: string; records: RawRecord[] }
  /** Invoke the function again with the event it was given (sync for stream batches, async for S3 events). */
  | { kind: 'invoke'; functionName: string; event: unknown; mode: 'sync' | 'async' }
  /** Nothing that can be replayed: the reason is printed, the letter is kept. */
  | { kind: 'keep'; reason: string };

interface KinesisEventRecord {
  eventSourceARN?: string;
  kinesis?: { data?: string; partitionKey?: string };
}
interface Parsed {
  reason?: string;
  eventSourceARN?: string;
  record?: KinesisEventRecord & { truncated?: boolean; dynamodb?: unknown };
  requestContext?: { functionArn?: string; condition?: string };
  requestPayload?: unknown;
  KinesisBatchInfo?: { streamArn: string };
  DDBStreamBatchInfo?: { streamArn: string };
  payload?: string;
}

/** The function name of an ARN (`arn:aws:lambda:r:a:function:name[:qualifier]`). */
export function functionNameOf(functionArn: string): string {
  return functionArn.split(':')[6] ?? functionArn;
}

function parse(body: string): Parsed | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    return value && typeof value === 'object' ? (value as Parsed) : undefined;
  } catch {
    return undefined;
  }
}

function rawOf(record: KinesisEventRecord | undefined): RawRecord | undefined {
  const { data, partitionKey } = record?.kinesis ?? {};
  return typeof data === 'string' && typeof partitionKey === 'string' ? { data, partitionKey } : undefined;
}

/**
 * How a message of a dead-letter queue is replayed. `invokeStreams`: stream ARNs whose records go back
 * through the function (DynamoDB streams cannot be written to) rather than onto the stream.
 */
export function replayOfLetter(body: string, consumerOf: (streamArn: string) => string | undefined): Replay {
  const letter = parse(body);
  if (!letter) return { kind: 'keep', reason: 'not JSON' };
  if (letter.requestContext?.functionArn && 'requestPayload' in letter) {
    return {
      kind: 'invoke',
      functionName: functionNameOf(letter.requestContext.functionArn),
      event: letter.requestPayload,
      mode: 'async',
    };
  }
  if (letter.KinesisBatchInfo || letter.DDBStreamBatchInfo) {
    return {
      kind: 'keep',
      reason:
        'an SQS on-failure record names a batch by position only (from before failed batches were kept whole in S3): read it from the stream while it is retained',
    };
  }
  if (letter.record?.truncated)
    return { kind: 'keep', reason: `the record was too large for the letter (${letter.reason ?? 'no reason'})` };
  const source = letter.eventSourceARN ?? letter.record?.eventSourceARN;
  if (!source || !letter.record)
    return { kind: 'keep', reason: `no stream record to replay (${letter.reason ?? 'no reason'})` };
  if (source.startsWith('arn:aws:s3:::'))
    return { kind: 'keep', reason: `a file that cannot be converted as it is: ${letter.reason ?? 'no reason'}` };
  const consumer = consumerOf(source);
  if (consumer) return { kind: 'invoke', functionName: consumer, event: { Records: [letter.record] }, mode: 'sync' };
  const raw = rawOf(letter.record);
  return raw
    ? { kind: 'put', streamArn: source, records: [raw] }
    : { kind: 'keep', reason: "the letter's record has no Kinesis data" };
}

/** How a failed batch kept in S3 is replayed; undefined when the object is no such record. */
export function replayOfFailedBatch(
  body: string,
  consumerOf: (streamArn: string) => string | undefined,
): Replay & { functionArn?: string; streamArn?: string } {
  const batch = parse(body);
  const info = batch?.KinesisBatchInfo ?? batch?.DDBStreamBatchInfo;
  const functionArn = batch?.requestContext?.functionArn;
  if (!batch || !info || !functionArn || typeof batch.payload !== 'string')
    return { kind: 'keep', reason: 'not a failed-batch record with a payload' };
  const event = parse(batch.payload) as { Records?: KinesisEventRecord[] } | undefined;
  if (!Array.isArray(event?.Records))
    return { kind: 'keep', reason: 'the payload holds no records', functionArn, streamArn: info.streamArn };
  if (consumerOf(info.streamArn) || batch.DDBStreamBatchInfo) {
    return {
      kind: 'invoke',
      functionName: functionNameOf(functionArn),
      event,
      mode: 'sync',
      functionArn,
      streamArn: info.streamArn,
    };
  }
  const records = event.Records.map(rawOf);
  if (records.some((record) => !record))
    return {
      kind: 'keep',
      reason: 'a record of the batch has no Kinesis data',
      functionArn,
      streamArn: info.streamArn,
    };
  return { kind: 'put', streamArn: info.streamArn, records: records as RawRecord[], functionArn };
}

/** Whether a synchronous invocation's answer accepts the whole replay (no error, no batch item failures). */
export function invocationAccepted(answer: { ok: boolean; payload?: unknown }): boolean {
  if (!answer.ok) return false;
  const failures = (answer.payload as { batchItemFailures?: unknown[] } | null | undefined)?.batchItemFailures;
  return !Array.isArray(failures) || failures.length === 0;
}
