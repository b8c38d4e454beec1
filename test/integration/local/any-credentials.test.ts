import { randomBytes, randomUUID } from 'node:crypto';
import { DescribeStreamCommand, KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { awsConfig, localCloud, physicalId } from '../../support/cloud.ts';

// Every local service takes any credentials and region, as LocalStack does: what the functions write
// (with the credentials the local cloud gives them), the AWS CLI or an SDK with anyone's credentials reads.
type Service = 'dynamodb' | 'kinesis' | 's3' | 'sqs' | 'sns' | 'secretsmanager';
const anyone = (service: Service) => ({
  region: 'eu-west-1',
  endpoint: localCloud().endpoints[service],
  credentials: {
    accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(20).toString('base64'),
  },
  ...(service === 's3' ? { forcePathStyle: true } : {}),
  ...(service === 'kinesis' ? { requestHandler: new NodeHttpHandler() } : {}),
});
const functions = (service: Service) => ({
  ...awsConfig(service),
  ...(service === 'kinesis' ? { requestHandler: new NodeHttpHandler() } : {}),
});
const resourcesOf = (type: string) =>
  Object.entries(localCloud().resources)
    .filter(([, r]) => r.type === type)
    .map(([, r]) => r.physicalId);

describe('the local services accept any credentials and region', () => {
  it('DynamoDB Local: the same tables, and an item the functions wrote', async () => {
    const { TableNames = [] } = await new DynamoDBClient(anyone('dynamodb')).send(new ListTablesCommand({}));
    expect(TableNames).toEqual(expect.arrayContaining(resourcesOf('AWS::DynamoDB::Table')));
    const TableName = physicalId('EventData');
    const key = { Username: `any-credentials-${randomUUID()}`, Id: '1' };
    const writer = DynamoDBDocumentClient.from(new DynamoDBClient(functions('dynamodb')));
    const reader = DynamoDBDocumentClient.from(new DynamoDBClient(anyone('dynamodb')));
    await writer.send(new PutCommand({ TableName, Item: { ...key, Note: "written with the functions' credentials" } }));
    try {
      const { Item } = await reader.send(new GetCommand({ TableName, Key: key, ConsistentRead: true }));
      expect(Item).toEqual({ ...key, Note: "written with the functions' credentials" });
    } finally {
      await writer.send(new DeleteCommand({ TableName, Key: key }));
    }
  });

  it('Kinesis: the same streams, with the same shards', async () => {
    const streams = resourcesOf('AWS::Kinesis::Stream');
    const { StreamNames = [] } = await new KinesisClient(anyone('kinesis')).send(new ListStreamsCommand({}));
    expect(StreamNames).toEqual(expect.arrayContaining(streams));
    const describe = async (config: ReturnType<typeof anyone>) =>
      (await new KinesisClient(config).send(new DescribeStreamCommand({ StreamName: physicalId('ActivityStream') })))
        .StreamDescription;
    const [theirs, ours] = [
      await describe(anyone('kinesis')),
      await describe(functions('kinesis') as ReturnType<typeof anyone>),
    ];
    expect(theirs?.StreamARN).toBe(ours?.StreamARN);
    expect(theirs?.Shards?.map((s) => s.ShardId)).toEqual(ours?.Shards?.map((s) => s.ShardId));
  });

  it('S3: the same buckets, an object the functions wrote, and presigned URLs of any key (expiry still checked)', async () => {
    const { Buckets = [] } = await new S3Client(anyone('s3')).send(new ListBucketsCommand({}));
    expect(Buckets.map((b) => b.Name)).toEqual(expect.arrayContaining(resourcesOf('AWS::S3::Bucket')));
    const Bucket = physicalId('ArchiveBucket');
    const Key = `any-credentials/${randomUUID()}.txt`;
    const writer = new S3Client(functions('s3'));
    await writer.send(new PutObjectCommand({ Bucket, Key, Body: 'hello', ContentType: 'text/plain' }));
    try {
      const reader = new S3Client(anyone('s3'));
      const object = await reader.send(new GetObjectCommand({ Bucket, Key }));
      expect(await object.Body?.transformToString()).toBe('hello');
      const url = await getSignedUrl(reader, new GetObjectCommand({ Bucket, Key }), { expiresIn: 60 });
      expect(url).toContain('X-Amz-Credential=AKIA');
      expect(await (await fetch(url)).text()).toBe('hello');
      const expiring = await getSignedUrl(reader, new GetObjectCommand({ Bucket, Key }), { expiresIn: 1 });
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const expired = await fetch(expiring);
      expect(expired.status).toBe(403);
      expect(await expired.text()).toContain('Request has expired');
    } finally {
      await writer.send(new DeleteObjectCommand({ Bucket, Key }));
    }
  });

  it("SQS: the same queues, and a message the functions' credentials sent", async () => {
    const { QueueUrls = [] } = await new SQSClient(anyone('sqs')).send(new ListQueuesCommand({}));
    expect(QueueUrls).toEqual(expect.arrayContaining(resourcesOf('AWS::SQS::Queue')));
    const writer = new SQSClient(functions('sqs'));
    const { QueueUrl } = await writer.send(new CreateQueueCommand({ QueueName: `any-credentials-${Date.now()}` }));
    await writer.send(new SendMessageCommand({ QueueUrl, MessageBody: 'from a function' }));
    const { Messages = [] } = await new SQSClient(anyone('sqs')).send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(Messages.map((m) => m.Body)).toEqual(['from a function']);
  });

  it('SNS: the same topics', async () => {
    const { Topics = [] } = await new SNSClient(anyone('sns')).send(new ListTopicsCommand({}));
    expect(Topics.map((t) => t.TopicArn)).toEqual(expect.arrayContaining(resourcesOf('AWS::SNS::Topic')));
  });

  it('Secrets Manager: the same secrets, with the values the functions read', async () => {
    const { SecretList = [] } = await new SecretsManagerClient(anyone('secretsmanager')).send(
      new ListSecretsCommand({}),
    );
    expect(SecretList.map((s) => s.ARN)).toEqual(expect.arrayContaining(resourcesOf('AWS::SecretsManager::Secret')));
    const SecretId = physicalId('VoterHashKey');
    const read = async (config: ReturnType<typeof anyone>) =>
      (await new SecretsManagerClient(config).send(new GetSecretValueCommand({ SecretId }))).SecretString;
    expect(await read(anyone('secretsmanager'))).toBe(
      await read(functions('secretsmanager') as ReturnType<typeof anyone>),
    );
  });
});
