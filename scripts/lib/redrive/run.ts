// The redrive loop: find what a pipeline's dead-letter queue and the failed-batches bucket keep, replay
// each, and delete a letter or object only once its replay was accepted.
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { putWithRetries } from '../put-records.ts';
import { invocationAccepted, replayOfFailedBatch, replayOfLetter, type RawRecord, type Replay } from './kept.ts';

/** Where one pipeline's kept failures are, with physical names (see plan.ts). */
export interface RedrivePlan {
  pipeline: string;
  /** Dead-letter queue URL; `streams`: only letters from these sources belong to the pipeline (a queue may be shared). */
  queue?: { url: string; sources: string[] };
  /** Failed-batches bucket; only objects of these functions (physical names) belong to the pipeline. */
  failedBatches?: { bucket: string; functions: string[] };
  /** Tables whose stream records are replayed through a function (a DynamoDB stream cannot be written to). */
  invokeThrough: Array<{ tableArn: string; functionName: string }>;
  /** Stream ARN -> stream name, for PutRecords. */
  streamNames: Record<string, string>;
}

/** The clients and the one thing that differs between AWS and the local cloud: how a function is invoked. */
export interface RedriveTarget {
  sqs: SQSClient;
  s3: S3Client;
  kinesis: KinesisClient;
  invoke(
    functionName: string,
    event: unknown,
    mode: 'sync' | 'async',
  ): Promise<{ ok: boolean; payload?: unknown; error?: string }>;
}

export interface RedriveSummary {
  pipeline: string;
  found: { letters: number; batches: number; records: number };
  replayed: { letters: number; batches: number; records: number };
  left: Array<{ what: string; reason: string }>;
  dryRun: boolean;
}

interface Kept {
  what: string;
  replay: Replay;
  remove(): Promise<void>;
}

export async function redrive(
  plan: RedrivePlan,
  target: RedriveTarget,
  options: { dryRun?: boolean; log?: (line: string) => void } = {},
): Promise<RedriveSummary> {
  const log = options.log ?? (() => {});
  const summary: RedriveSummary = {
    pipeline: plan.pipeline,
    dryRun: options.dryRun === true,
    found: { letters: 0, batches: 0, records: 0 },
    replayed: { letters: 0, batches: 0, records: 0 },
    left: [],
  };
  const consumerOf = (streamArn: string) =>
    plan.invokeThrough.find(({ tableArn }) => streamArn.startsWith(`${tableArn}/stream/`))?.functionName;
  const items: Array<Kept & { type: 'letters' | 'batches' }> = [];
  if (plan.queue)
    for (const item of await letters(plan.queue, target.sqs, consumerOf)) items.push({ ...item, type: 'letters' });
  if (plan.failedBatches)
    for (const item of await failedBatches(plan.failedBatches, target.s3, consumerOf))
      items.push({ ...item, type: 'batches' });
  let done = 0;
  let lastProgress = Date.now();
  for (const item of items) {
    const records = recordCount(item.replay);
    summary.found[item.type] += 1;
    summary.found.records += records;
    if (item.replay.kind === 'keep') {
      summary.left.push({ what: item.what, reason: item.replay.reason });
    } else if (!options.dryRun) {
      const refused = await replay(item.replay, plan, target);
      if (refused) {
        summary.left.push({ what: item.what, reason: refused });
      } else {
        await item.remove();
        summary.replayed[item.type] += 1;
        summary.replayed.records += records;
      }
    }
    done += 1;
    if (Date.now() - lastProgress >= 2000) {
      lastProgress = Date.now();
      log(`… ${done}/${items.length} kept item(s) handled, ${summary.replayed.records} record(s) replayed`);
    }
  }
  return summary;
}

function recordCount(replay: Replay): number {
  if (replay.kind === 'put') return replay.records.length;
  if (replay.kind === 'invoke') return (replay.event as { Records?: unknown[] } | null)?.Records?.length ?? 1;
  return 0;
}

/** Undefined when the replay was accepted; else why not. */
async function replay(
  item: Exclude<Replay, { kind: 'keep' }>,
  plan: RedrivePlan,
  target: RedriveTarget,
): Promise<string | undefined> {
  if (item.kind === 'put') {
    const stream = plan.streamNames[item.streamArn];
    if (!stream) return `no stream of this stack has the ARN ${item.streamArn}`;
    const outcome = await putWithRetries<RawRecord>(target.kinesis, stream, item.records, (record) => ({
      Data: Buffer.from(record.data, 'base64'),
      PartitionKey: record.partitionKey,
    }));
    // Records accepted before a later one was refused are on the stream: a second run puts them again,
    // which the idempotent consumers absorb (DESIGN.md §4); the letter is kept so none is lost.
    return outcome.failed.length
      ? `${outcome.failed.length} of ${item.records.length} record(s) refused by Kinesis: ${outcome.lastError}`
      : undefined;
  }
  const answer: { ok: boolean; payload?: unknown; error?: string } = await target
    .invoke(item.functionName, item.event, item.mode)
    .catch((error: Error) => ({ ok: false, error: error.message }));
  if (item.mode === 'async') return answer.ok ? undefined : `invoke ${item.functionName}: ${answer.error ?? 'refused'}`;
  return invocationAccepted(answer)
    ? undefined
    : `${item.functionName} did not accept the batch: ${answer.error ?? JSON.stringify(answer.payload)}`;
}

/** Receives every letter once (each is hidden for the run: kept letters are visible again 5 minutes later). */
async function letters(
  queue: NonNullable<RedrivePlan['queue']>,
  sqs: SQSClient,
  consumerOf: (arn: string) => string | undefined,
): Promise<Kept[]> {
  const kept: Kept[] = [];
  const seen = new Set<string>();
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
    );
    const fresh = Messages.filter((message) => message.MessageId && !seen.has(message.MessageId));
    if (fresh.length === 0) return kept;
    for (const message of fresh) {
      seen.add(message.MessageId!);
      const body = message.Body ?? '';
      if (!belongsTo(body, queue.sources)) continue;
      kept.push({
        what: `letter ${message.MessageId}`,
        replay: replayOfLetter(body, consumerOf),
        remove: async () => {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: message.ReceiptHandle! }));
        },
      });
    }
  }
}

/** A shared queue's letter belongs to the pipeline when it names one of its sources (stream, bucket or function). */
function belongsTo(body: string, sources: string[]): boolean {
  return sources.length === 0 || sources.some((source) => body.includes(`"${source}`));
}

async function failedBatches(
  where: NonNullable<RedrivePlan['failedBatches']>,
  s3: S3Client,
  consumerOf: (arn: string) => string | undefined,
): Promise<Kept[]> {
  const kept: Kept[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: where.bucket, Prefix: 'aws/lambda/', ContinuationToken }),
    );
    for (const { Key } of page.Contents ?? []) {
      if (!Key) continue;
      const body = await (await s3.send(new GetObjectCommand({ Bucket: where.bucket, Key }))).Body!.transformToString();
      const replay = replayOfFailedBatch(body, consumerOf);
      const name = replay.functionArn?.split(':')[6];
      if (!name || !where.functions.includes(name)) continue;
      kept.push({
        what: `s3://${where.bucket}/${Key}`,
        replay,
        remove: async () => {
          await s3.send(new DeleteObjectCommand({ Bucket: where.bucket, Key }));
        },
      });
    }
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return kept;
}
