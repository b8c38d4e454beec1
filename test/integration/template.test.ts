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

  it('encrypts every table, stream and queue at rest', () => {
    for (const [, table] of resourcesOfType(template, 'AWS::DynamoDB::Table')) expect(table.Properties?.SSESpecification).toEqual({ SSEEnabled: true });
    for (const [, queue] of resourcesOfType(template, 'AWS::SQS::Queue')) expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    for (const [, stream] of resourcesOfType(template, 'AWS::Kinesis::Stream')) expect(stream.Properties?.StreamEncryption).toMatchObject({ EncryptionType: 'KMS' });
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
});
