import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { localCloud, physicalId } from './cloud.ts';
import { s3 } from './files.ts';

/** Every object under a prefix of CentralLogBucket, gunzipped, with its key. */
export async function centralLogObjects(prefix: string): Promise<Array<{ key: string; text: string }>> {
  const bucket = physicalId('CentralLogBucket');
  const objects: Array<{ key: string; text: string }> = [];
  let ContinuationToken: string | undefined;
  do {
    const listed = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }));
    for (const { Key } of listed.Contents ?? []) {
      const body = Buffer.from(
        await (await s3().send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToByteArray(),
      );
      objects.push({
        key: Key!,
        text: body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body).toString('utf8') : body.toString('utf8'),
      });
    }
    ContinuationToken = listed.NextContinuationToken;
  } while (ContinuationToken);
  return objects;
}

/** The delivered NDJSON log lines (under logs/) whose log group starts with a prefix. */
export async function deliveredLogLines(logGroupPrefix: string): Promise<Array<Record<string, string>>> {
  const objects = await centralLogObjects('logs/');
  return objects
    .flatMap(({ text }) =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, string>),
    )
    .filter((line) => line.logGroup?.startsWith(logGroupPrefix));
}

/** The records Firehose wrote under errors/processing-failed/, with their raw data decoded as text. */
export async function failedLogRecords(): Promise<Array<{ errorCode: string; raw: string; key: string }>> {
  const objects = await centralLogObjects('errors/processing-failed/');
  return objects.flatMap(({ key, text }) =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const record = JSON.parse(line) as { errorCode: string; rawData: string };
        return { key, errorCode: record.errorCode, raw: Buffer.from(record.rawData, 'base64').toString('utf8') };
      }),
  );
}

/** A Firehose data-transformation event, as the delivery stream reading LogStream sends it, for these record datas. */
export function firehoseEvent(datas: Buffer[]) {
  const stream = physicalId('LogStream');
  return {
    invocationId: randomUUID(),
    deliveryStreamArn: `arn:aws:firehose:us-east-1:000000000000:deliverystream/${localCloud().stackName}-CentralLogDelivery`,
    sourceKinesisStreamArn: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`,
    region: 'us-east-1',
    records: datas.map((data, i) => ({
      recordId: `rec-${i}`,
      approximateArrivalTimestamp: Date.now(),
      data: data.toString('base64'),
      kinesisRecordMetadata: {
        shardId: 'shardId-000000000000',
        partitionKey: `pk-${i}`,
        approximateArrivalTimestamp: Date.now(),
        sequenceNumber: String(i),
        subsequenceNumber: '',
      },
    })),
  };
}
