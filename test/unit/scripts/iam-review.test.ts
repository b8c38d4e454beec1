import { describe, expect, it } from 'vitest';
import type { Template } from '@refarch/local-cloud';
import { crossFunctionGrants, referencedIds, wildcardProblems } from '../../../scripts/lib/iam-review.ts';

const role = (statements: unknown[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: { Policies: [{ PolicyDocument: { Statement: statements } }] },
});
const fn = (environment: Record<string, unknown>) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Environment: { Variables: environment } },
});

describe('wildcardProblems', () => {
  it('flags wildcard actions and * resources of actions that can name a resource', () => {
    const template: Template = {
      Resources: {
        A: role([{ Effect: 'Allow', Action: ['s3:*'], Resource: { 'Fn::GetAtt': ['B', 'Arn'] } }]),
        C: role([{ Effect: 'Allow', Action: ['dynamodb:PutItem', 'kinesis:ListStreams'], Resource: '*' }]),
      },
    };
    expect(wildcardProblems(template)).toEqual([
      { policy: 'A', problem: 'wildcard action s3:*' },
      { policy: 'C', problem: 'dynamodb:PutItem on Resource "*"' },
    ]);
  });

  it('accepts * for actions without resource-level permissions, and ignores Deny statements', () => {
    const template: Template = {
      Resources: {
        A: role([
          { Effect: 'Allow', Action: 'kinesis:ListStreams', Resource: '*' },
          { Effect: 'Deny', Action: 's3:*', Resource: '*' },
        ]),
      },
    };
    expect(wildcardProblems(template)).toEqual([]);
  });
});

describe('crossFunctionGrants', () => {
  it("flags a function role that grants a resource its function is not wired to, and accepts the function's own", () => {
    const template: Template = {
      Resources: {
        ReadLambdaFunction: fn({ TABLE: { Ref: 'Mine' } }),
        ReadIamRoleLambdaExecution: role([
          { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: { 'Fn::GetAtt': ['Mine', 'Arn'] } },
          { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: { 'Fn::Sub': '${Theirs.Arn}/index/*' } },
        ]),
        Mine: { Type: 'AWS::DynamoDB::Table' },
        Theirs: { Type: 'AWS::DynamoDB::Table' },
      },
    };
    expect(crossFunctionGrants(template)).toEqual([
      { policy: 'ReadIamRoleLambdaExecution', problem: 'grants Theirs, which ReadLambdaFunction is not wired to' },
    ]);
  });

  it('counts event sources, and the buckets that notify a subscribed topic, as wired', () => {
    const template: Template = {
      Resources: {
        ConsumeLambdaFunction: fn({}),
        ConsumeIamRoleLambdaExecution: role([
          { Effect: 'Allow', Action: ['kinesis:GetRecords'], Resource: { 'Fn::GetAtt': ['Stream', 'Arn'] } },
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: { 'Fn::Sub': '${Input.Arn}/*' } },
        ]),
        Mapping: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            FunctionName: { 'Fn::GetAtt': ['ConsumeLambdaFunction', 'Arn'] },
            EventSourceArn: { 'Fn::GetAtt': ['Stream', 'Arn'] },
          },
        },
        Subscription: {
          Type: 'AWS::SNS::Subscription',
          Properties: { TopicArn: { Ref: 'Topic' }, Endpoint: { 'Fn::GetAtt': ['ConsumeLambdaFunction', 'Arn'] } },
        },
        Input: {
          Type: 'AWS::S3::Bucket',
          Properties: { NotificationConfiguration: { TopicConfigurations: [{ Topic: { Ref: 'Topic' } }] } },
        },
        Stream: { Type: 'AWS::Kinesis::Stream' },
        Topic: { Type: 'AWS::SNS::Topic' },
      },
    };
    expect(crossFunctionGrants(template)).toEqual([]);
  });
});

describe('referencedIds', () => {
  it('reads Ref, Fn::GetAtt and Fn::Sub variables, but not pseudo parameters', () => {
    expect(
      [
        ...referencedIds({
          a: { Ref: 'A' },
          b: { 'Fn::GetAtt': 'B.Arn' },
          c: { 'Fn::Sub': ['${C.Arn}/${AWS::Region}/${D}', { D: { Ref: 'E' } }] },
          d: { Ref: 'AWS::AccountId' },
        }),
      ].sort(),
    ).toEqual(['A', 'B', 'C', 'D', 'E']);
  });
});
