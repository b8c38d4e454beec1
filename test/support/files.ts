import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsConfig, drainQueue, physicalId } from './cloud.ts';

export const s3 = () => new S3Client(awsConfig('s3'));
const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));

/** A bucket of its own, not wired to the topic: a function test sees only the events it sends. */
export async function scratchBucket(label: string): Promise<string> {
  const name = `it-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  await s3().send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

export async function putFile(bucket: string, key: string, body: string | Uint8Array): Promise<string> {
  const { ETag } = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return ETag!;
}

export async function deleteFile(bucket: string, key: string): Promise<void> {
  await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

/** The object's body and headers, or undefined when there is none. */
export async function readFile(
  bucket: string,
  key: string,
): Promise<{ body: string; contentType?: string; metadata?: Record<string, string> } | undefined> {
  try {
    const output = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return {
      body: await output.Body!.transformToString('utf8'),
      contentType: output.ContentType,
      metadata: output.Metadata,
    };
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

export async function exists(bucket: string, key: string): Promise<boolean> {
  try {
    await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

export async function listKeys(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const output = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }));
    keys.push(...(output.Contents ?? []).map((object) => object.Key!));
    ContinuationToken = output.NextContinuationToken;
  } while (ContinuationToken);
  return keys.sort();
}

export async function documentItem(key: string): Promise<Record<string, unknown> | undefined> {
  return (
    await documents().send(
      new GetCommand({ TableName: physicalId('Documents'), Key: { SourceKey: key }, ConsistentRead: true }),
    )
  ).Item;
}

/** S3 encodes keys in notifications like a form: spaces as '+', '/' kept, the rest percent-encoded. */
export const encodeEventKey = (key: string) => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');

/** The SNS event a file function receives for one S3 notification with these records. */
export function fileEvent(
  records: Array<{ eventName: string; bucket: string; key: string; eTag?: string; size?: number }>,
): unknown {
  const s3Event = {
    Records: records.map(({ eventName, bucket, key, eTag, size }, i) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: new Date().toISOString(),
      eventName,
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'test',
        bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: {
          key: encodeEventKey(key),
          ...(size === undefined ? {} : { size }),
          ...(eTag ? { eTag: eTag.replaceAll('"', '') } : {}),
          sequencer: `00${(Date.now() + i).toString(16).toUpperCase()}`,
        },
      },
    })),
  };
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:test:sub',
        Sns: {
          Type: 'Notification',
          MessageId: crypto.randomUUID(),
          TopicArn: 'arn:aws:sns:us-east-1:000000000000:test',
          Subject: 'Amazon S3 Notification',
          Message: JSON.stringify(s3Event),
          Timestamp: new Date().toISOString(),
          MessageAttributes: {},
        },
      },
    ],
  };
}

export interface FilesDeadLetter {
  reason: string;
  record: { key: string; bucket: string };
}
const drained: FilesDeadLetter[] = [];

/** Dead letters of the files pipeline about keys under a prefix (the queue is drained into memory, so none is lost to another test). */
export async function filesDeadLetters(prefix: string): Promise<FilesDeadLetter[]> {
  return (await allFilesDeadLetters()).filter((letter) => letter.record?.key?.startsWith(prefix));
}

export async function allFilesDeadLetters(): Promise<FilesDeadLetter[]> {
  drained.push(...((await drainQueue('FilesDeadLetterQueue')) as FilesDeadLetter[]));
  return drained;
}
