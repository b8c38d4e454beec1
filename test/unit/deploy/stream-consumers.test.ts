import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// The plugin is CommonJS (osls loads it with require): its two steps are tested on small functions and templates.
type Stream = Record<string, unknown>;
interface FunctionObj {
  events: Array<{ stream?: Stream | string; httpApi?: string }>;
  iamRoleStatements?: unknown[];
}
interface Mapping {
  Type: string;
  Properties: Record<string, unknown>;
}
interface Settings {
  defaults?: Stream;
  failedBatchesBucket?: string;
}
const { applyDefaults, sendFailedBatches } = createRequire(import.meta.url)('../../../deploy/stream-consumers.cjs') as {
  applyDefaults(functions: Record<string, FunctionObj>, settings: Settings): void;
  sendFailedBatches(
    functions: Record<string, FunctionObj>,
    template: { Resources: Record<string, Mapping> },
    logicalId: (name: string) => string,
    settings: Settings,
  ): void;
};

const settings: Settings = {
  defaults: { startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 10 },
  failedBatchesBucket: 'FailedBatchesBucket',
};
const ordersArn = { 'Fn::GetAtt': ['OrdersStream', 'Arn'] };
const consumer = (stream: Stream): FunctionObj => ({
  events: [{ stream }],
  iamRoleStatements: [{ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: '*' }],
});
const mapping = (fn: string, arn: unknown): Mapping => ({
  Type: 'AWS::Lambda::EventSourceMapping',
  Properties: { FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] }, EventSourceArn: arn },
});
const logicalId = (name: string) => `${name[0]!.toUpperCase()}${name.slice(1)}LambdaFunction`;

describe('stream consumers: defaults', () => {
  it('fills the defaults into a stream event, whose own settings win', () => {
    const functions = { consume: consumer({ type: 'kinesis', arn: ordersArn, maximumRetryAttempts: -1 }) };
    applyDefaults(functions, settings);
    expect(functions.consume.events[0]!.stream).toEqual({
      type: 'kinesis',
      arn: ordersArn,
      startingPosition: 'TRIM_HORIZON',
      maximumRetryAttempts: -1,
    });
  });

  it("grants a consumer's role the failed-batches bucket, first and once, and leaves other functions alone", () => {
    const functions = {
      consume: {
        ...consumer({ arn: ordersArn }),
        events: [{ stream: { arn: ordersArn } }, { stream: { arn: { Ref: 'Other' } } }],
      },
      serve: { events: [{ httpApi: 'GET /' }], iamRoleStatements: [] },
    };
    applyDefaults(functions, settings);
    expect(functions.consume.iamRoleStatements).toEqual([
      { Effect: 'Allow', Action: ['s3:PutObject'], Resource: { 'Fn::Sub': '${FailedBatchesBucket.Arn}/aws/lambda/*' } },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: { 'Fn::GetAtt': ['FailedBatchesBucket', 'Arn'] } },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: '*' },
    ]);
    expect(functions.serve.iamRoleStatements).toEqual([]);
  });
});

describe('stream consumers: failed batches', () => {
  it("sets the bucket as on-failure destination of the consumer's stream mapping only", () => {
    const functions = { consume: consumer({ arn: ordersArn }), work: { events: [] } };
    const template = {
      Resources: {
        Stream: mapping('ConsumeLambdaFunction', ordersArn),
        Queue: mapping('WorkLambdaFunction', { 'Fn::GetAtt': ['WorkQueue', 'Arn'] }),
      },
    };
    sendFailedBatches(functions, template, logicalId, settings);
    expect(template.Resources.Stream.Properties.DestinationConfig).toEqual({
      OnFailure: { Destination: { 'Fn::GetAtt': ['FailedBatchesBucket', 'Arn'] } },
    });
    expect(template.Resources.Queue.Properties).not.toHaveProperty('DestinationConfig');
  });

  it('stops the build when a stream event has no mapping to protect', () => {
    const template = { Resources: { Stream: mapping('OtherLambdaFunction', ordersArn) } };
    expect(() => sendFailedBatches({ consume: consumer({ arn: ordersArn }) }, template, logicalId, settings)).toThrow(
      /no event source mapping of consume/,
    );
  });
});
