import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, LOCAL_CREDENTIALS, type LocalCloud } from '@refarch/local-cloud';
import { eventually } from '../../support/eventually.ts';
import { redrive, type RedrivePlan } from '../../../scripts/lib/redrive/run.ts';

// The local cloud provisions a whole service from its packaged template: a fixture service whose
// functions fail on purpose (test/fixtures/service) exercises S3 -> SNS -> async Lambda with retries
// and an on-failure destination, a Kinesis mapping with a poison record, and the HTTP API.
let cloud: LocalCloud;
const physical = (logicalId: string) => cloud.model.resources.find((r) => r.logicalId === logicalId)!.physicalId;
const client = <T>(Client: new (config: object) => T, endpoint: string) =>
  new Client({
    region: 'us-east-1',
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    requestHandler: new NodeHttpHandler(),
  });

beforeAll(async () => {
  const serviceDir = resolve(import.meta.dirname, '../../fixtures/service');
  cloud = await startLocalCloud({
    serviceDir,
    stage: 'test',
    stateDir: join(import.meta.dirname, '../../../.local/fixture'),
    onLog: () => {},
    asyncRetryDelaysMs: [100, 200],
  });
});
afterAll(async () => {
  await cloud?.stop();
});

/** Receives (and deletes) messages until `count` have arrived. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- messages of several shapes, checked by matchers
async function receive(logicalId: string, count: number): Promise<any[]> {
  const sqs = client(SQSClient, cloud.endpoints.sqs);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const messages: any[] = [];
  await eventually(
    async () => {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: physical(logicalId), MaxNumberOfMessages: 10 }),
      );
      if (Messages.length)
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: physical(logicalId),
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      messages.push(...Messages.map((m) => JSON.parse(m.Body!)));
      expect(messages.length).toBeGreaterThanOrEqual(count);
    },
    { timeoutMs: 20_000 },
  );
  return messages;
}

/** The data of every record now on a stream, decoded as text. */
async function streamValues(kinesis: KinesisClient, StreamName: string): Promise<string[]> {
  const values: string[] = [];
  for (const { ShardId } of (await kinesis.send(new ListShardsCommand({ StreamName }))).Shards ?? []) {
    let { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (ShardIterator) {
      const {
        Records = [],
        NextShardIterator,
        MillisBehindLatest,
      } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      values.push(...Records.map((record) => Buffer.from(record.Data!).toString('utf8')));
      ShardIterator = Records.length === 0 && !MillisBehindLatest ? undefined : NextShardIterator;
    }
  }
  return values;
}

describe('a service provisioned from its template', () => {
  it('delivers S3 uploads through SNS to the subscribed function, keys URL-encoded as S3 sends them', async () => {
    const s3 = client(S3Client, cloud.endpoints.s3);
    await s3.send(new PutObjectCommand({ Bucket: physical('UploadBucket'), Key: 'skipped.txt', Body: 'not markdown' }));
    await s3.send(
      new PutObjectCommand({ Bucket: physical('UploadBucket'), Key: 'docs/v1.2/my notes+ü.md', Body: '# hi' }),
    );
    const [processed] = await receive('ProcessedQueue', 1);
    expect(processed).toEqual({ source: 'sns', value: 'docs/v1.2/my+notes%2B%C3%BC.md' });
    await cloud.runtime.idle();
    expect(await receive('ProcessedQueue', 0)).toEqual([]);
  });

  it('retries a failing async invocation twice, then sends the invocation record to the on-failure queue', async () => {
    const s3 = client(S3Client, cloud.endpoints.s3);
    await s3.send(new PutObjectCommand({ Bucket: physical('UploadBucket'), Key: 'poison.md', Body: '# bad' }));
    const [record] = await receive('FailureQueue', 1);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: {
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
        functionArn: expect.stringContaining('fixture-test-onUpload'),
      },
      responseContext: { functionError: 'Unhandled' },
      responsePayload: { errorMessage: 'poison: poison.md' },
    });
    expect(JSON.stringify(record.requestPayload)).toContain('poison.md');
  });

  it('bisects a Kinesis batch with one poison record: the rest processed once, the poison to the on-failure queue', async () => {
    const kinesis = client(KinesisClient, cloud.endpoints.kinesis);
    const values = Array.from({ length: 20 }, (_, i) => (i === 7 ? 'poison-7' : `ok-${i}`));
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: physical('InputStream'),
        Records: values.map((v) => ({ Data: Buffer.from(v), PartitionKey: 'one' })),
      }),
    );
    const processed = await receive('ProcessedQueue', 19);
    expect(processed.map((p) => p.value).sort()).toEqual(values.filter((v) => v !== 'poison-7').sort());
    const [failure] = await receive('FailureQueue', 1);
    expect(failure).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted' },
      KinesisBatchInfo: { batchSize: 1 },
    });
  });

  it('keeps a batch that ran out of retries whole in the S3 on-failure destination, and redrive stores each record once', async () => {
    const kinesis = client(KinesisClient, cloud.endpoints.kinesis);
    const s3 = client(S3Client, cloud.endpoints.s3);
    const dynamodb = client(DynamoDBClient, cloud.endpoints.dynamodb);
    const bucket = physical('FailedBatchesBucket');
    const listKept = async () => (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? [];
    const values = Array.from({ length: 6 }, (_, i) => `kept-${i}`);
    // The fault: DynamoDB down while the records arrive; storeRecord fails, retries once, and gives up.
    await cloud.services.dynamodb!.stop();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Lambda's JSON, checked by matchers
    const kept: Array<{ key: string; body: any }> = [];
    try {
      await kinesis.send(
        new PutRecordsCommand({
          StreamName: physical('KeptStream'),
          Records: values.map((v) => ({ Data: Buffer.from(v), PartitionKey: 'one' })),
        }),
      );
      await eventually(
        async () => {
          kept.length = 0;
          for (const { Key } of await listKept())
            kept.push({
              key: Key!,
              body: JSON.parse(
                await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToString(),
              ),
            });
          expect(kept.reduce((sum, object) => sum + object.body.KinesisBatchInfo.batchSize, 0)).toBe(values.length);
        },
        { timeoutMs: 30_000 },
      );
    } finally {
      await cloud.services.dynamodb!.start();
    }
    const mapping = cloud.model.mappings.find((m) => m.functionName === 'storeRecord')!;
    for (const { key, body } of kept) {
      // aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>
      expect(key).toMatch(
        new RegExp(
          `^aws/lambda/${mapping.uuid}/shardId-\\d+/\\d{4}/\\d{2}/\\d{2}/\\d{4}-\\d{2}-\\d{2}T\\d{2}\\.\\d{2}\\.\\d{2}-[0-9a-f-]{36}$`,
        ),
      );
      expect(body).toMatchObject({
        version: '1.0',
        requestContext: {
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: 2,
          functionArn: expect.stringContaining('fixture-test-storeRecord'),
        },
        responseContext: { statusCode: 200, functionError: 'Unhandled' },
        KinesisBatchInfo: {
          shardId: expect.stringMatching(/^shardId-/),
          streamArn: expect.stringContaining('KeptStream'),
        },
      });
      expect(typeof body.payload).toBe('string');
    }
    const keptData = kept
      .flatMap(({ body }) => (JSON.parse(body.payload) as { Records: Array<{ kinesis: { data: string } }> }).Records)
      .map((record) => Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
    expect(keptData.sort()).toEqual([...values].sort());

    // The fault is gone: redrive puts the kept records back on their stream and deletes each object.
    const streamArn = kept[0]!.body.KinesisBatchInfo.streamArn as string;
    const plan: RedrivePlan = {
      pipeline: 'fixture',
      failedBatches: { bucket, functions: ['fixture-test-storeRecord'] },
      invokeThrough: [],
      streamNames: { [streamArn]: physical('KeptStream') },
    };
    const target = {
      sqs: client(SQSClient, cloud.endpoints.sqs),
      s3,
      kinesis,
      invoke: async () => ({ ok: false, error: 'not used' }),
    };
    const dry = await redrive(plan, target, { dryRun: true });
    expect(dry).toMatchObject({
      found: { batches: kept.length, records: values.length },
      replayed: { records: 0 },
      left: [],
    });
    expect(await listKept()).toHaveLength(kept.length);
    const summary = await redrive(plan, target);
    console.log(
      `redrive: found ${summary.found.batches} batch(es) / ${summary.found.records} record(s), replayed ${summary.replayed.records}, left ${summary.left.length}`,
    );
    expect(summary).toMatchObject({
      found: { batches: kept.length, records: values.length },
      replayed: { batches: kept.length, records: values.length },
      left: [],
    });
    expect(await listKept()).toEqual([]);
    // Stored once: one item per record in the sink (the consumer is idempotent, as DESIGN.md §4 asks)...
    const stored = async () =>
      ((await dynamodb.send(new ScanCommand({ TableName: physical('SinkTable'), ConsistentRead: true }))).Items ?? [])
        .map((item) => item.Id!.S!)
        .filter((id) => id.startsWith('kept-'))
        .sort();
    await eventually(async () => expect(await stored()).toEqual([...values].sort()), { timeoutMs: 30_000 });
    // ...and replayed once: the stream holds each record twice, as first sent and as put back by redrive.
    const onStream = await streamValues(kinesis, physical('KeptStream'));
    for (const value of values)
      expect(
        onStream.filter((v) => v === value),
        value,
      ).toHaveLength(2);
    // A second run finds nothing, and nothing more is stored.
    expect((await redrive(plan, target)).found).toEqual({ letters: 0, batches: 0, records: 0 });
    await cloud.runtime.idle();
    expect(await stored()).toEqual([...values].sort());
    console.log(
      `redrive figures: ${values.length} records failed by the fault, ${summary.found.records} found in ${summary.found.batches} kept batch(es), ${summary.replayed.records} replayed, ${(await stored()).length} stored once, ${(await listKept()).length} objects left`,
    );
  });

  it('serves HTTP API routes with payload format 2.0', async () => {
    const get = await fetch(`${cloud.endpoints.http}/items/a%20b?x=1&x=2`, { headers: { 'x-custom': 'yes' } });
    expect(get.status).toBe(200);
    expect(await get.json()).toMatchObject({
      version: '2.0',
      routeKey: 'GET /items/{itemId}',
      rawPath: '/items/a%20b',
      rawQueryString: 'x=1&x=2',
      pathParameters: { itemId: 'a b' },
      queryStringParameters: { x: '1,2' },
      headers: { 'x-custom': 'yes' },
      requestContext: { http: { method: 'GET', path: '/items/a%20b' }, stage: '$default' },
    });
    const post = await fetch(`${cloud.endpoints.http}/echo/a/b`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.from([0, 1, 2]),
    });
    expect(await post.json()).toMatchObject({ pathParameters: { proxy: 'a/b' }, isBase64Encoded: true, body: 'AAEC' });
    expect((await fetch(`${cloud.endpoints.http}/echo/crash`)).status).toBe(500);
    expect((await fetch(`${cloud.endpoints.http}/nowhere`)).status).toBe(404);
  });

  it('fails an invocation that runs over the function timeout', async () => {
    const result = await cloud.runtime.invoke('echo', { rawPath: '/echo/slow' });
    expect(result).toMatchObject({
      ok: false,
      timedOut: true,
      error: { errorMessage: 'Task timed out after 1.00 seconds' },
    });
    expect((await fetch(`${cloud.endpoints.http}/echo/slow`)).status).toBe(500);
  });

  it('throttles a function over its reserved concurrency at once: the HTTP API answers 500 as API Gateway does, and the function serves again after', async () => {
    const single = () => cloud.runtime.stats().find((s) => s.name === 'single')!;
    const slow = fetch(`${cloud.endpoints.http}/single/slow`);
    await eventually(() => expect(single().busy).toBe(1), { timeoutMs: 20_000 });
    const throttled = await fetch(`${cloud.endpoints.http}/single/now`);
    expect(throttled.status).toBe(500);
    expect(await throttled.json()).toEqual({ message: 'Internal Server Error' });
    expect(single()).toMatchObject({ busy: 1, throttles: 1 }); // refused while the first still ran: it did not wait
    expect((await slow).status).toBe(200);
    expect((await fetch(`${cloud.endpoints.http}/single/now`)).status).toBe(200);
    expect(single()).toMatchObject({ invocations: 2, throttles: 1, errors: 0 });
  });

  it('keeps Powertools Tracer off in every function: there is no X-Ray daemon locally', () => {
    for (const fn of cloud.model.functions)
      expect(cloud.functionEnvironment(fn.name).POWERTOOLS_TRACE_ENABLED).toBe('false');
  });
});
