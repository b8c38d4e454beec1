// Where a redrive runs: the local cloud (.local/endpoints.json) or a deployed stack (CloudFormation).
import { CloudFormationClient, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { KinesisClient, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { keepAliveHandler } from '../../../src/adapters/http-handler.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@refarch/local-cloud';
import type { PipelineSpec } from './plan.ts';
import type { RedrivePlan, RedriveTarget } from './run.ts';

/** Physical names of the stack's resources by logical id, and how to reach its services. */
export interface Stack {
  stackName: string;
  physicalId(logicalId: string): string;
  target: RedriveTarget;
  dynamodb: DynamoDBClient;
}

/** The running local cloud: endpoints from .local/endpoints.json; physical names follow <stack>-<LogicalId>. */
export async function localStack(endpoints: Record<string, string | undefined>, stage: string): Promise<Stack> {
  const need = (name: string) =>
    endpoints[name] ??
    (() => {
      throw new Error(`no ${name} endpoint in .local/endpoints.json: start the local cloud (npm start)`);
    })();
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const stackName = `refarch-${stage}`;
  const s3 = new S3Client({ ...common, endpoint: need('s3'), forcePathStyle: true });
  // Buckets are named as CloudFormation would (BucketName with the account and region): find ours by its prefix.
  const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
  const bucket = Buckets.map((b) => b.Name ?? '').find((name) => name.startsWith(`${stackName}-failed-batches-`));
  return {
    stackName,
    dynamodb: new DynamoDBClient({ ...common, endpoint: need('dynamodb') }),
    physicalId: (logicalId) =>
      logicalId === 'FailedBatchesBucket' ? (bucket ?? `${stackName}-failed-batches`) : `${stackName}-${logicalId}`,
    target: {
      s3,
      sqs: new SQSClient({ ...common, endpoint: need('sqs') }),
      kinesis: new KinesisClient({ ...common, endpoint: need('kinesis'), requestHandler: keepAliveHandler() }),
      invoke: async (functionName, event) => {
        // The console's invoke (npm run invoke) is synchronous; an async invocation is one attempt of it here.
        const name = functionName.startsWith(`${stackName}-`) ? functionName.slice(stackName.length + 1) : functionName;
        const response = await fetch(`${need('console')}/_local/invoke/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(event),
        });
        if (!response.ok) return { ok: false, error: `HTTP ${response.status} ${await response.text()}` };
        const answer = (await response.json()) as { ok: boolean; payload?: unknown; error?: { errorMessage?: string } };
        return { ok: answer.ok, payload: answer.payload, error: answer.error?.errorMessage };
      },
    },
  };
}

/** A deployed stack: physical ids from CloudFormation, the default credential chain. */
export async function awsStack(stackName: string, region: string): Promise<Stack> {
  const cloudFormation = new CloudFormationClient({ region });
  const ids = new Map<string, string>();
  for await (const page of paginateListStackResources({ client: cloudFormation }, { StackName: stackName })) {
    for (const resource of page.StackResourceSummaries ?? [])
      if (resource.LogicalResourceId && resource.PhysicalResourceId)
        ids.set(resource.LogicalResourceId, resource.PhysicalResourceId);
  }
  const lambda = new LambdaClient({ region });
  return {
    stackName,
    dynamodb: new DynamoDBClient({ region }),
    physicalId: (logicalId) =>
      ids.get(logicalId) ??
      (() => {
        throw new Error(`stack ${stackName} has no resource ${logicalId}`);
      })(),
    target: {
      sqs: new SQSClient({ region }),
      s3: new S3Client({ region }),
      kinesis: new KinesisClient({ region }),
      invoke: async (functionName, event, mode) => {
        const output = await lambda.send(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: mode === 'async' ? 'Event' : 'RequestResponse',
            Payload: Buffer.from(JSON.stringify(event)),
          }),
        );
        const text = output.Payload ? Buffer.from(output.Payload).toString('utf8') : '';
        const payload = text ? (JSON.parse(text) as unknown) : undefined;
        return output.FunctionError ? { ok: false, error: text } : { ok: (output.StatusCode ?? 500) < 300, payload };
      },
    },
  };
}

/** The plan of one pipeline on a stack: queue URL, bucket, stream ARNs and names, function names. */
export async function planFor(pipeline: string, spec: PipelineSpec, stack: Stack): Promise<RedrivePlan> {
  const streamNames: Record<string, string> = {};
  const sources: string[] = [];
  const invokeThrough: RedrivePlan['invokeThrough'] = [];
  for (const source of spec.sources) {
    const name = stack.physicalId(source.stream);
    if (source.attribute === 'Arn') {
      const { StreamDescriptionSummary } = await stack.target.kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: name }),
      );
      streamNames[StreamDescriptionSummary!.StreamARN!] = name;
      sources.push(StreamDescriptionSummary!.StreamARN!);
    } else {
      const { Table } = await stack.dynamodb.send(new DescribeTableCommand({ TableName: name }));
      // Letters name the table's stream (<table ARN>/stream/<label>): the table ARN is a prefix of it.
      sources.push(Table!.TableArn!);
      if (spec.invokeThrough?.stream === source.stream)
        invokeThrough.push({
          tableArn: Table!.TableArn!,
          functionName: functionPhysicalName(stack, spec.invokeThrough.functionName),
        });
    }
  }
  const queueUrl = spec.queue ? await queueUrlOf(stack, spec.queue) : undefined;
  return {
    pipeline,
    ...(queueUrl ? { queue: { url: queueUrl, sources } } : {}),
    ...(spec.functions.length
      ? {
          failedBatches: {
            bucket: stack.physicalId('FailedBatchesBucket'),
            functions: spec.functions.map((fn) => functionPhysicalName(stack, fn)),
          },
        }
      : {}),
    invokeThrough,
    streamNames,
  };
}

/** Function physical names are <service>-<stage>-<function> (serverless), on AWS and locally. */
function functionPhysicalName(stack: Stack, functionName: string): string {
  return `${stack.stackName}-${functionName}`;
}

async function queueUrlOf(stack: Stack, logicalId: string): Promise<string> {
  const id = stack.physicalId(logicalId);
  if (id.startsWith('http')) return id;
  return (await stack.target.sqs.send(new GetQueueUrlCommand({ QueueName: id }))).QueueUrl!;
}
