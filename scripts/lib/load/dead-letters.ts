// What the stack's dead-letter queues hold, as text to search for inputs: each message's body, with the
// base64 (and gzip) record data inside decoded, and Lambda's stream failure records (shard and sequence
// range only) resolved to the records they name by reading them back from the stream.
import { gunzipSync } from 'node:zlib';
import {
  GetRecordsCommand as GetKinesisRecords,
  GetShardIteratorCommand as GetKinesisIterator,
  KinesisClient,
} from '@aws-sdk/client-kinesis';
import {
  DynamoDBStreamsClient,
  GetRecordsCommand as GetStreamRecords,
  GetShardIteratorCommand as GetStreamIterator,
} from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@refarch/local-cloud';
import { need, type LoadContext } from './drivers.ts';

interface BatchInfo {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  streamArn: string;
}

export interface DeadLetterReader {
  /** One text per dead letter now in the stack's queues (peeked through the console: nothing is received). */
  texts(): Promise<string[]>;
  close(): void;
}

/**
 * Reads the stack's dead letters for a whole run. A letter never changes, so each is decoded (and its
 * stream range read back) once; empty queues are not asked; callers at the same moment share one read.
 */
export function deadLetterReader(context: LoadContext): DeadLetterReader {
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const streams = {
    kinesis: new KinesisClient({ ...common, endpoint: need(context, 'kinesis') }),
    dynamodb: new DynamoDBStreamsClient({ ...common, endpoint: need(context, 'dynamodb') }),
  };
  const textOf = new Map<string, string>();
  let reading: Promise<string[]> | undefined;
  const read = async () => {
    const stats = (await (await fetch(`${need(context, 'console')}/_local/stats`)).json()) as {
      queues: Array<{ name: string; depth: number }>;
    };
    const texts: string[] = [];
    for (const { name } of stats.queues.filter(
      (queue) => queue.name.startsWith(`${context.stackName}-`) && queue.depth > 0,
    )) {
      const { messages } = (await (
        await fetch(`${need(context, 'console')}/_local/queues/${name}/messages`)
      ).json()) as { messages: string[] };
      for (const body of messages) {
        if (!textOf.has(body))
          textOf.set(body, [body, ...decodedData(body), ...(await resolvedBatch(streams, body))].join('\n'));
        texts.push(textOf.get(body)!);
      }
    }
    return texts;
  };
  return {
    texts: () =>
      (reading ??= read().finally(() => {
        reading = undefined;
      })),
    close: () => {
      streams.kinesis.destroy();
      streams.dynamodb.destroy();
    },
  };
}

/** Every string value in the JSON that is base64 of something readable (gunzipped if gzip). */
function decodedData(body: string): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.length >= 8 && /^[A-Za-z0-9+/]+={0,2}$/.test(value)) found.push(decode(Buffer.from(value, 'base64')));
      else if (value.startsWith('{')) visit(parsed(value));
    } else if (value && typeof value === 'object') {
      for (const inner of Object.values(value)) visit(inner);
    }
  };
  visit(parsed(body));
  return found;
}

function decode(bytes: Buffer): string {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString('utf8');
    } catch {
      /* not gzip after all */
    }
  }
  return bytes.toString('latin1');
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The records a Lambda stream failure record names, read back from the Kinesis or DynamoDB stream. */
async function resolvedBatch(
  streams: { kinesis: KinesisClient; dynamodb: DynamoDBStreamsClient },
  body: string,
): Promise<string[]> {
  const record = parsed(body) as { KinesisBatchInfo?: BatchInfo; DDBStreamBatchInfo?: BatchInfo } | undefined;
  if (record?.KinesisBatchInfo) return kinesisRange(streams.kinesis, record.KinesisBatchInfo);
  if (record?.DDBStreamBatchInfo) return dynamodbRange(streams.dynamodb, record.DDBStreamBatchInfo);
  return [];
}

async function kinesisRange(client: KinesisClient, info: BatchInfo): Promise<string[]> {
  let { ShardIterator: iterator } = await client.send(
    new GetKinesisIterator({
      StreamARN: info.streamArn,
      ShardId: info.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: info.startSequenceNumber,
    }),
  );
  const texts: string[] = [];
  while (iterator) {
    const { Records = [], NextShardIterator } = await client.send(
      new GetKinesisRecords({ ShardIterator: iterator, StreamARN: info.streamArn }),
    );
    for (const record of Records) {
      if (BigInt(record.SequenceNumber!) > BigInt(info.endSequenceNumber)) return texts;
      texts.push(decode(Buffer.from(record.Data!)));
    }
    if (Records.length === 0) return texts;
    iterator = NextShardIterator;
  }
  return texts;
}

async function dynamodbRange(client: DynamoDBStreamsClient, info: BatchInfo): Promise<string[]> {
  let { ShardIterator: iterator } = await client.send(
    new GetStreamIterator({
      StreamArn: info.streamArn,
      ShardId: info.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: info.startSequenceNumber,
    }),
  );
  const texts: string[] = [];
  while (iterator) {
    const { Records = [], NextShardIterator } = await client.send(new GetStreamRecords({ ShardIterator: iterator }));
    for (const record of Records) {
      if (BigInt(record.dynamodb!.SequenceNumber!) > BigInt(info.endSequenceNumber)) return texts;
      texts.push(JSON.stringify(record.dynamodb));
    }
    if (Records.length === 0) return texts;
    iterator = NextShardIterator;
  }
  return texts;
}
