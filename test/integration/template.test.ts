import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageService, resourcesOfType, type Template } from '../../local/template.ts';

// What `npm run package -- --stage prod` generates is what deploys: check the parts that make the
// voting app correct and secure, without an AWS account.
const serviceDir = resolve(import.meta.dirname, '../..');
let template: Template;

beforeAll(async () => {
  ({ template } = await packageService(serviceDir, 'prod', join(serviceDir, '.local', 'prod-package')));
});

const resource = (id: string) => {
  const found = template.Resources[id];
  if (!found) throw new Error(`no resource ${id}`);
  return found.Properties as Record<string, unknown>;
};

describe('the prod CloudFormation template', () => {
  it('streams VoteApp with old and new images into aggregateVotes', () => {
    expect(resource('VoteApp').StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const properties = resource('AggregateVotesEventSourceMappingDynamodbVoteApp');
    expect(properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['VoteApp', 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['VotesDeadLetterQueue', 'Arn'] } } },
    });
    expect(properties.MaximumRetryAttempts).toBeGreaterThan(0);
  });

  it('encrypts every table, stream, queue and topic at rest', () => {
    for (const [, table] of resourcesOfType(template, 'AWS::DynamoDB::Table')) expect(table.Properties?.SSESpecification).toEqual({ SSEEnabled: true });
    for (const [, queue] of resourcesOfType(template, 'AWS::SQS::Queue')) expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    for (const [, stream] of resourcesOfType(template, 'AWS::Kinesis::Stream')) expect(stream.Properties?.StreamEncryption).toMatchObject({ EncryptionType: 'KMS' });
    for (const [, topic] of resourcesOfType(template, 'AWS::SNS::Topic')) expect(topic.Properties?.KmsMasterKeyId).toBeDefined();
  });

  it('runs the tracking Redis encrypted, with an AUTH token, reachable only from the Redis-using functions in the VPC', () => {
    expect(resource('TrackingRedis')).toMatchObject({ TransitEncryptionEnabled: true, AtRestEncryptionEnabled: true, AuthToken: expect.stringContaining('{{resolve:secretsmanager:') });
    expect(resource('RedisSecurityGroup').SecurityGroupIngress).toEqual([expect.objectContaining({ FromPort: 6379, SourceSecurityGroupId: { Ref: 'LambdaSecurityGroup' } })]);
    for (const fn of ['TrackEventLambdaFunction', 'UpdateCoreDataLambdaFunction']) expect(resource(fn).VpcConfig).toBeDefined();
    expect(resource('PersistTrackingEventsLambdaFunction').VpcConfig).toBeUndefined();
    expect(resourcesOfType(template, 'AWS::EC2::NatGateway')).toEqual([]);
    expect(resourcesOfType(template, 'AWS::EC2::VPCEndpoint').map(([, e]) => JSON.stringify(e.Properties?.ServiceName))).toEqual([
      expect.stringContaining('kinesis-streams'), expect.stringContaining('dynamodb'),
    ]);
  });

  it('gives every function its own role', () => {
    const roles = resourcesOfType(template, 'AWS::Lambda::Function').map(([, fn]) => JSON.stringify((fn.Properties as Record<string, unknown>).Role));
    expect(new Set(roles).size).toBe(roles.length);
  });

  it('lets each role touch only the tables its function uses', () => {
    const statements = (roleId: string) => JSON.stringify((resource(roleId).Policies as Array<{ PolicyDocument: unknown }>).map((p) => p.PolicyDocument));
    expect(statements('CastVoteIamRoleLambdaExecution')).not.toMatch(/VoteAppAggregates|VoteAppAppliedVotes|Tracking/);
    expect(statements('TrackEventIamRoleLambdaExecution')).not.toMatch(/dynamodb:/);
    expect(statements('GetResultsIamRoleLambdaExecution')).not.toMatch(/"VoteApp"|UpdateItem/);
    expect(statements('AggregateVotesIamRoleLambdaExecution')).not.toMatch(/"Action":"\*"|dynamodb:\*/);
  });

  it('blocks public access to the web bucket and throttles the HTTP API', () => {
    expect(resource('WebBucket').PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(resource('HttpApiStage').DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 });
  });

  it('fans Markdown created or removed in the input bucket out through one encrypted topic that only that bucket may publish to', () => {
    const input = resource('InputBucket');
    const configs = (input.NotificationConfiguration as { TopicConfigurations: Array<Record<string, unknown>> }).TopicConfigurations;
    expect(configs.map((c) => `${String(c.Event)} ${JSON.stringify(c.Filter)}`).sort()).toEqual([
      's3:ObjectCreated:* {"S3Key":{"Rules":[{"Name":"suffix","Value":".markdown"}]}}',
      's3:ObjectCreated:* {"S3Key":{"Rules":[{"Name":"suffix","Value":".md"}]}}',
      's3:ObjectRemoved:* {"S3Key":{"Rules":[{"Name":"suffix","Value":".markdown"}]}}',
      's3:ObjectRemoved:* {"S3Key":{"Rules":[{"Name":"suffix","Value":".md"}]}}',
    ]);
    for (const c of configs) expect(c.Topic).toEqual({ Ref: 'FileEventsTopic' });
    expect(template.Resources.InputBucket!.DependsOn).toEqual(['FileEventsTopicPolicy']);
    expect(resource('FileEventsTopic').KmsMasterKeyId).toEqual({ Ref: 'FileEventsKey' });
    const [statement] = (resource('FileEventsTopicPolicy').PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement;
    expect(statement).toMatchObject({ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sns:Publish' });
    // The condition names exactly the input bucket's name.
    expect(JSON.stringify(statement!.Condition)).toContain(JSON.stringify((input.BucketName as { 'Fn::Sub': string })['Fn::Sub']).slice(1, -1));
    const subscribers = resourcesOfType(template, 'AWS::SNS::Subscription').map(([, s]) => JSON.stringify(s.Properties?.Endpoint));
    for (const fn of ['RenderHtml', 'RenderText', 'ExtractMetadata']) expect(subscribers.some((endpoint) => endpoint.includes(`${fn}LambdaFunction`))).toBe(true);
  });

  it('encrypts both file buckets and blocks their public access', () => {
    for (const id of ['InputBucket', 'OutputBucket']) {
      expect(resource(id).PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(resource(id).BucketEncryption).toMatchObject({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    }
  });

  it('retries each file function a bounded number of times, then sends the event to the files dead-letter queue', () => {
    for (const fn of ['RenderHtml', 'RenderText', 'ExtractMetadata']) {
      expect(resource(`${fn}LambdaEvConf`)).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FilesDeadLetterQueue', 'Arn'] } } },
      });
    }
  });

  it('lets each file function read the input bucket and write only its own artifact', () => {
    const statements = (roleId: string) => JSON.stringify((resource(roleId).Policies as Array<{ PolicyDocument: unknown }>).map((p) => p.PolicyDocument));
    expect(statements('RenderHtmlIamRoleLambdaExecution')).toContain('/html/*');
    expect(statements('RenderHtmlIamRoleLambdaExecution')).not.toMatch(/\/text\/\*|dynamodb:/);
    expect(statements('RenderTextIamRoleLambdaExecution')).toContain('/text/*');
    expect(statements('RenderTextIamRoleLambdaExecution')).not.toMatch(/\/html\/\*|dynamodb:/);
    expect(statements('ExtractMetadataIamRoleLambdaExecution')).not.toMatch(/s3:PutObject|s3:DeleteObject/);
    for (const fn of ['RenderHtml', 'RenderText', 'ExtractMetadata']) expect(statements(`${fn}IamRoleLambdaExecution`)).not.toMatch(/"s3:\*"|"Resource":"\*"/);
  });

  it('reads SensorEventStream with two independent consumers, partial batch responses and the IoT dead-letter queue', () => {
    for (const fn of ['StoreSensorReadings', 'ArchiveSensorReadings']) {
      expect(resource(`${fn}EventSourceMappingKinesisSensorEventStream`)).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': ['SensorEventStream', 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['IotDeadLetterQueue', 'Arn'] } } },
      });
    }
  });

  it('lets devices do nothing but put records on SensorEventStream', () => {
    expect(resource('DevicePublishPolicy').PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['kinesis:PutRecord', 'kinesis:PutRecords'], Resource: { 'Fn::GetAtt': ['SensorEventStream', 'Arn'] } }],
    });
    expect(resource('ArchiveBucket').PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
  });
});
