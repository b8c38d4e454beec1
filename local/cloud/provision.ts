import { CreateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../net.ts';
import type { SnsService } from '../services/sns.ts';
import type { SqsService } from '../services/sqs.ts';
import type { Template, TemplateResource } from '../template.ts';
import type { DeliveryStreamSpec } from '../firehose/index.ts';
import type { BucketNotificationModel, CloudModel, CorsModel, FunctionModel, MappingModel } from './model.ts';
import { dependencyOrder, resolveString, resolveValue, type ResolveContext, type ResourceIdentity } from './resolve.ts';
import type { JwtAuthorizerModel } from './jwt-authorizer.ts';
import type { LocalSecretStore } from './secrets.ts';
import { integrationFunctionArn, type WebSocketApis } from '../websocket/index.ts';

export interface ProvisionDeps {
  serviceDir: string;
  stackName: string;
  region: string;
  accountId: string;
  httpApiUrl: string;
  secrets: LocalSecretStore;
  dynamodb: DynamoDBClient;
  kinesis: KinesisClient;
  s3: S3Client;
  sqs: SqsService;
  sns: SnsService;
  redis: LocalRedis;
  /** Gateways of the template's WebSocket APIs (local/websocket). */
  websocketApis?: WebSocketApis;
}

/** The local Redis that stands in for ElastiCache. */
export interface LocalRedis {
  host: string;
  port: number;
  /** Makes the local Redis require the AUTH token the template gives ElastiCache. */
  requirePassword(token: string): Promise<void>;
}

type Props = Record<string, unknown>;
interface Step { logicalId: string; props: Props; deps: ProvisionDeps; context: ResolveContext; model: CloudModel }
type Provisioner = (step: Step) => Promise<ResourceIdentity> | ResourceIdentity;

/** Creates every resource of the template on the local services, in dependency order. */
export async function provision(template: Template, deps: ProvisionDeps): Promise<CloudModel> {
  const context: ResolveContext = {
    region: deps.region, accountId: deps.accountId, stackName: deps.stackName, resources: new Map(), secret: (id) => deps.secrets.value(id),
    conditions: template.Conditions,
  };
  registerSecrets(template, deps, context);
  const model: CloudModel = { stackName: deps.stackName, functions: [], mappings: [], routes: [], subscriptions: [], bucketNotifications: [], resources: [] };
  const integrations = new Map<string, string>();
  const authorizers = new Map<string, JwtAuthorizerModel>();
  for (const logicalId of dependencyOrder(template)) {
    const resource = template.Resources[logicalId] as TemplateResource;
    // CloudFormation creates no resource whose condition is false (e.g. the web ACL outside us-east-1).
    if (resource.Condition !== undefined && resolveValue({ Condition: resource.Condition }, context) !== true) continue;
    const provisioner = provisioners[resource.Type] ?? placeholder;
    const props = (resource.Properties ?? {}) as Props;
    const step = { logicalId, props, deps, context, model };
    const identity = resource.Type === 'AWS::ApiGatewayV2::Integration' ? recordIntegration(step, integrations)
      : resource.Type === 'AWS::ApiGatewayV2::Authorizer' ? recordAuthorizer(step, authorizers)
      : resource.Type === 'AWS::ApiGatewayV2::Route' ? recordRoute(step, integrations, authorizers) : await provisioner(step);
    context.resources.set(logicalId, identity);
    model.resources.push({ logicalId, type: resource.Type, physicalId: identity.ref, arn: identity.attributes.Arn });
  }
  return model;
}

const arn = (service: string, deps: ProvisionDeps, resource: string) => `arn:aws:${service}:${deps.region}:${deps.accountId}:${resource}`;

/** The name CloudFormation would generate when a template gives none. */
function generatedName(deps: ProvisionDeps, logicalId: string, maxLength = 128): string {
  const suffix = createHash('sha256').update(`${deps.stackName}/${logicalId}`).digest('hex').slice(0, 12);
  return `${deps.stackName}-${logicalId}`.slice(0, maxLength - 13) + `-${suffix}`;
}

const str = (step: Step, value: unknown) => resolveString(value, step.context);
const optionalStr = (step: Step, value: unknown) => (value === undefined ? undefined : str(step, value));

const provisioners: Record<string, Provisioner> = {
  'AWS::DynamoDB::Table': async (step) => {
    const { props, deps } = step;
    const name = optionalStr(step, props.TableName) ?? generatedName(deps, step.logicalId);
    const input = resolveValue({
      TableName: name,
      AttributeDefinitions: props.AttributeDefinitions,
      KeySchema: props.KeySchema,
      GlobalSecondaryIndexes: props.GlobalSecondaryIndexes,
      LocalSecondaryIndexes: props.LocalSecondaryIndexes,
      StreamSpecification: props.StreamSpecification ? { StreamEnabled: true, ...(props.StreamSpecification as Props) } : undefined,
      BillingMode: 'PAY_PER_REQUEST',
    }, step.context) as CreateTableCommandInput;
    const created = await deps.dynamodb.send(new CreateTableCommand(input));
    const ttl = props.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
    if (ttl?.Enabled) await deps.dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: ttl }));
    const attributes: Record<string, string> = { Arn: arn('dynamodb', deps, `table/${name}`) };
    if (created.TableDescription?.LatestStreamArn) attributes.StreamArn = created.TableDescription.LatestStreamArn;
    return { ref: name, attributes };
  },
  'AWS::Kinesis::Stream': async (step) => {
    const { props, deps } = step;
    const name = optionalStr(step, props.Name) ?? generatedName(deps, step.logicalId);
    // On-demand streams get four shards locally, so per-shard ordering and interleaving are exercised.
    const shardCount = props.ShardCount === undefined ? 4 : Number(resolveValue(props.ShardCount, step.context));
    await deps.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
    await waitUntil(async () => {
      const summary = await deps.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      return summary.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
    }, `Kinesis stream ${name}`);
    return { ref: name, attributes: { Arn: arn('kinesis', step.deps, `stream/${name}`) } };
  },
  'AWS::SQS::Queue': (step) => {
    const name = optionalStr(step, step.props.QueueName) ?? generatedName(step.deps, step.logicalId, 80);
    const url = step.deps.sqs.createQueue(name);
    return { ref: url, attributes: { Arn: arn('sqs', step.deps, name), QueueName: name, QueueUrl: url } };
  },
  'AWS::SNS::Topic': (step) => {
    const name = optionalStr(step, step.props.TopicName) ?? generatedName(step.deps, step.logicalId, 256);
    const topicArn = step.deps.sns.createTopic(name);
    for (const s of (step.props.Subscription as Props[] | undefined) ?? []) {
      step.model.subscriptions.push({ topicArn, protocol: str(step, s.Protocol), endpoint: str(step, s.Endpoint) });
    }
    return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
  },
  'AWS::SNS::Subscription': (step) => {
    const { props } = step;
    const subscription = { topicArn: str(step, props.TopicArn), protocol: str(step, props.Protocol), endpoint: str(step, props.Endpoint), filterPolicy: resolveValue(props.FilterPolicy, step.context) };
    step.model.subscriptions.push(subscription);
    return { ref: `${subscription.topicArn}:${step.logicalId}`, attributes: {} };
  },
  'AWS::S3::Bucket': async (step) => {
    const { props, deps } = step;
    const name = optionalStr(step, props.BucketName) ?? generatedName(deps, step.logicalId, 63).toLowerCase();
    await deps.s3.send(new CreateBucketCommand({ Bucket: name }));
    step.model.bucketNotifications.push(...bucketNotifications(step, name));
    return { ref: name, attributes: {
      Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com`, RegionalDomainName: `${name}.s3.${deps.region}.amazonaws.com`,
      WebsiteURL: `http://${name}.s3-website-${deps.region}.amazonaws.com`,
    } };
  },
  'AWS::Lambda::Function': (step) => {
    const fn = functionModel(step);
    step.model.functions.push(fn);
    return { ref: fn.physicalName, attributes: { Arn: fn.arn } };
  },
  'AWS::Lambda::EventInvokeConfig': (step) => {
    const { props } = step;
    const target = str(step, props.FunctionName);
    const fn = step.model.functions.find((f) => f.physicalName === target || f.arn === target);
    const destination = (props.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined)?.OnFailure?.Destination;
    if (fn) fn.async = {
      maximumRetryAttempts: props.MaximumRetryAttempts === undefined ? 2 : Number(props.MaximumRetryAttempts),
      maximumEventAgeInSeconds: props.MaximumEventAgeInSeconds === undefined ? undefined : Number(props.MaximumEventAgeInSeconds),
      onFailureArn: optionalStr(step, destination),
    };
    return { ref: step.logicalId, attributes: {} };
  },
  'AWS::Lambda::EventSourceMapping': (step) => {
    step.model.mappings.push(mappingModel(step));
    return { ref: step.logicalId, attributes: {} };
  },
  'AWS::ApiGatewayV2::Api': async (step) => {
    if (step.props.ProtocolType === 'WEBSOCKET' && step.deps.websocketApis) {
      const apiId = localId(step.deps, step.logicalId, 10);
      const url = await step.deps.websocketApis.open(step.logicalId, apiId, str(step, step.props.RouteSelectionExpression));
      return { ref: apiId, attributes: { ApiEndpoint: url, ApiId: apiId } };
    }
    step.model.cors = corsModel(resolveValue(step.props.CorsConfiguration, step.context) as Props | undefined);
    return { ref: 'local', attributes: { ApiEndpoint: step.deps.httpApiUrl, ApiId: 'local' } };
  },
  'AWS::IAM::Role': (step) => {
    const name = optionalStr(step, step.props.RoleName) ?? generatedName(step.deps, step.logicalId, 64);
    return { ref: name, attributes: { Arn: arn('iam', { ...step.deps, region: '' }, `role/${name}`), RoleId: name } };
  },
  'AWS::SecretsManager::Secret': (step) => {
    const secret = step.deps.secrets.find(secretName(step.logicalId, step.props, step.deps, step.context))!;
    return { ref: secret.arn, attributes: { Id: secret.arn } };
  },
  'AWS::ElastiCache::ReplicationGroup': async (step) => {
    const { redis } = step.deps;
    const token = optionalStr(step, step.props.AuthToken);
    if (token) await redis.requirePassword(token);
    const endpoint = { 'PrimaryEndPoint.Address': redis.host, 'PrimaryEndPoint.Port': String(redis.port), 'ReaderEndPoint.Address': redis.host, 'ReaderEndPoint.Port': String(redis.port) };
    return { ref: step.logicalId, attributes: endpoint };
  },
  'AWS::KinesisFirehose::DeliveryStream': (step) => {
    const spec = deliveryStreamModel(step);
    (step.model.deliveryStreams ??= []).push(spec);
    return { ref: spec.name, attributes: { Arn: spec.arn } };
  },
  'AWS::Logs::LogGroup': (step) => {
    const name = optionalStr(step, step.props.LogGroupName) ?? generatedName(step.deps, step.logicalId);
    return { ref: name, attributes: { Arn: arn('logs', step.deps, `log-group:${name}:*`) } };
  },
  // Cognito has no local service: the ids are stable names that the JWT authorizer's issuer and
  // audience resolve to, and the local signing key (jwt-authorizer.ts) stands in for the pool's keys.
  'AWS::Cognito::UserPool': (step) => {
    const { region } = step.deps;
    const id = `${region}_${localId(step.deps, step.logicalId, 9)}`;
    return { ref: id, attributes: {
      Arn: arn('cognito-idp', step.deps, `userpool/${id}`), UserPoolId: id,
      ProviderName: `cognito-idp.${region}.amazonaws.com/${id}`, ProviderURL: `https://cognito-idp.${region}.amazonaws.com/${id}`,
    } };
  },
  'AWS::Cognito::UserPoolClient': (step) => {
    const id = localId(step.deps, step.logicalId, 26);
    return { ref: id, attributes: { ClientId: id, Name: optionalStr(step, step.props.ClientName) ?? step.logicalId } };
  },
  // No hosted UI locally (the console mints tokens instead): the domain and groups only answer Ref.
  'AWS::Cognito::UserPoolDomain': (step) => ({ ref: str(step, step.props.Domain), attributes: {} }),
  'AWS::Cognito::UserPoolGroup': (step) => ({ ref: optionalStr(step, step.props.GroupName) ?? step.logicalId, attributes: {} }),
};

/** A stable lower-case alphanumeric id, as Cognito's generated ids look. */
function localId(deps: ProvisionDeps, logicalId: string, length: number): string {
  return BigInt(`0x${createHash('sha256').update(`${deps.stackName}/${logicalId}`).digest('hex')}`).toString(36).slice(0, length);
}

/** A Firehose delivery stream with a Kinesis source and an S3 destination (the one kind run locally). */
function deliveryStreamModel(step: Step): DeliveryStreamSpec {
  const { props, deps } = step;
  const name = optionalStr(step, props.DeliveryStreamName) ?? generatedName(deps, step.logicalId, 64);
  const source = props.KinesisStreamSourceConfiguration as Props | undefined;
  const destination = (props.ExtendedS3DestinationConfiguration ?? props.S3DestinationConfiguration) as Props | undefined;
  if (props.DeliveryStreamType !== 'KinesisStreamAsSource' || !source || !destination) {
    throw new Error(`delivery stream ${step.logicalId}: only a Kinesis source with an S3 destination runs locally`);
  }
  const hints = (destination.BufferingHints ?? {}) as Props;
  const processing = destination.ProcessingConfiguration as { Enabled?: boolean; Processors?: Array<{ Type: string; Parameters?: Array<{ ParameterName: string; ParameterValue: unknown }> }> } | undefined;
  const lambda = processing?.Enabled === false ? undefined : processing?.Processors?.find((p) => p.Type === 'Lambda');
  const parameter = (key: string) => {
    const found = lambda?.Parameters?.find((p) => p.ParameterName === key);
    return found === undefined ? undefined : str(step, found.ParameterValue);
  };
  const functionArn = parameter('LambdaArn');
  return {
    id: step.logicalId,
    name,
    arn: arn('firehose', deps, `deliverystream/${name}`),
    sourceStreamArn: str(step, source.KinesisStreamARN),
    bucket: str(step, destination.BucketARN).replace(/^arn:aws:s3:::/, ''),
    prefix: optionalStr(step, destination.Prefix) ?? '',
    errorOutputPrefix: optionalStr(step, destination.ErrorOutputPrefix),
    intervalSeconds: Number(resolveValue(hints.IntervalInSeconds ?? 300, step.context)),
    sizeMb: Number(resolveValue(hints.SizeInMBs ?? 5, step.context)),
    compressed: destination.CompressionFormat === 'GZIP',
    ...(functionArn ? { processor: { functionArn, retries: Number(parameter('NumberOfRetries') ?? 3), bufferMb: Number(parameter('BufferSizeInMBs') ?? 1) } } : {}),
  };
}

/** Resources with no local counterpart (CloudFront, IAM policies, ...) still answer Ref and GetAtt. */
function placeholder(step: Step): ResourceIdentity {
  const attributes = new Proxy({} as Record<string, string>, { get: (_, name) => `${step.logicalId}.${String(name)}.local` });
  return { ref: step.logicalId, attributes };
}

function recordIntegration(step: Step, integrations: Map<string, string>): ResourceIdentity {
  integrations.set(step.logicalId, str(step, step.props.IntegrationUri));
  return { ref: step.logicalId, attributes: {} };
}

/** JWT authorizers (the only kind the local cloud checks), for the routes that name them. */
function recordAuthorizer(step: Step, authorizers: Map<string, JwtAuthorizerModel>): ResourceIdentity {
  const { props } = step;
  if (String(props.AuthorizerType).toUpperCase() !== 'JWT') throw new Error(`authorizer ${step.logicalId}: the local cloud supports JWT authorizers only`);
  const jwt = resolveValue(props.JwtConfiguration, step.context) as { Issuer: string; Audience?: string[] };
  const identitySource = (resolveValue(props.IdentitySource, step.context) as string[] | undefined)?.[0] ?? '$request.header.Authorization';
  authorizers.set(step.logicalId, { type: 'JWT', issuer: jwt.Issuer, audience: jwt.Audience ?? [], identitySource });
  return { ref: step.logicalId, attributes: { AuthorizerId: step.logicalId } };
}

function recordRoute(step: Step, integrations: Map<string, string>, authorizers: Map<string, JwtAuthorizerModel>): ResourceIdentity {
  const routeKey = str(step, step.props.RouteKey);
  const target = str(step, step.props.Target).replace(/^integrations\//, '');
  const functionArn = integrationFunctionArn(integrations.get(target));
  const fn = step.model.functions.find((f) => f.arn === functionArn || f.physicalName === functionArn);
  if (!fn) throw new Error(`route ${routeKey} targets ${target}, which is not a local function`);
  if (step.deps.websocketApis?.addRoute(str(step, step.props.ApiId), routeKey, fn.name)) return { ref: step.logicalId, attributes: {} };
  const [method, path] = routeKey === '$default' ? ['ANY', '$default'] : routeKey.split(' ') as [string, string];
  const authorizerId = optionalStr(step, step.props.AuthorizerId);
  const authorizer = authorizerId === undefined ? undefined : authorizers.get(authorizerId);
  if (authorizerId !== undefined && !authorizer) throw new Error(`route ${routeKey} names authorizer ${authorizerId}, which is not in the template`);
  step.model.routes.push({ method, path, routeKey, functionName: fn.name, ...(authorizer ? { authorizer } : {}) });
  return { ref: step.logicalId, attributes: {} };
}

function functionModel(step: Step): FunctionModel {
  const { props, deps } = step;
  const physicalName = optionalStr(step, props.FunctionName) ?? generatedName(deps, step.logicalId, 64);
  const [modulePath, handlerExport] = str(step, props.Handler).split(/\.(?=[^.]+$)/) as [string, string];
  const variables = ((props.Environment as Props | undefined)?.Variables ?? {}) as Props;
  return {
    name: physicalName.startsWith(`${deps.stackName}-`) ? physicalName.slice(deps.stackName.length + 1) : physicalName,
    physicalName,
    arn: arn('lambda', deps, `function:${physicalName}`),
    handlerFile: sourceFile(deps.serviceDir, modulePath),
    handlerExport,
    environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, localEndpoints(str(step, v), deps)])),
    timeoutSeconds: Number(props.Timeout ?? 6),
    memoryMb: Number(props.MemorySize ?? 1024),
    ...(props.ReservedConcurrentExecutions === undefined ? {} : { reservedConcurrency: Number(str(step, props.ReservedConcurrentExecutions)) }),
  };
}

/**
 * ElastiCache here has in-transit encryption (rediss://); the local Redis speaks plain TCP, so URLs
 * that point at it lose the TLS scheme. Everything else (AUTH token, host, port) stays as deployed.
 */
function withoutLocalTls(value: string, redis: LocalRedis): string {
  return value.replace(`rediss://${redis.host}:${redis.port}`, `redis://${redis.host}:${redis.port}`);
}

/** An environment value with the local stand-ins' addresses: Redis without TLS, WebSocket APIs' gateways. */
function localEndpoints(value: string, deps: ProvisionDeps): string {
  const local = withoutLocalTls(value, deps.redis);
  return deps.websocketApis ? deps.websocketApis.localize(local) : local;
}

/** The handler's source file: the bundle is built from it, and the local runtime runs it directly. */
function sourceFile(serviceDir: string, modulePath: string): string {
  for (const extension of ['.ts', '.mts', '.js', '.mjs']) {
    const candidate = join(serviceDir, modulePath + extension);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`no source file for handler module ${modulePath} in ${serviceDir}`);
}

function mappingModel(step: Step): MappingModel {
  const { props } = step;
  const sourceArn = str(step, props.EventSourceArn);
  const functionRef = str(step, props.FunctionName);
  const fn = step.model.functions.find((f) => f.arn === functionRef || f.physicalName === functionRef);
  if (!fn) throw new Error(`event source mapping ${step.logicalId} targets unknown function ${functionRef}`);
  const kind = sourceArn.startsWith('arn:aws:kinesis:') ? 'kinesis' : 'dynamodb';
  const onFailure = (props.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined)?.OnFailure?.Destination;
  return {
    id: step.logicalId,
    functionName: fn.name,
    kind,
    sourceArn,
    batchSize: Number(props.BatchSize ?? 100),
    maximumBatchingWindowInSeconds: Number(props.MaximumBatchingWindowInSeconds ?? 0),
    startingPosition: (props.StartingPosition ?? 'TRIM_HORIZON') as MappingModel['startingPosition'],
    startingPositionTimestamp: props.StartingPositionTimestamp === undefined ? undefined : Number(props.StartingPositionTimestamp),
    reportBatchItemFailures: ((props.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
    bisectBatchOnFunctionError: props.BisectBatchOnFunctionError === true,
    maximumRetryAttempts: props.MaximumRetryAttempts === undefined ? -1 : Number(props.MaximumRetryAttempts),
    maximumRecordAgeInSeconds: props.MaximumRecordAgeInSeconds === undefined ? -1 : Number(props.MaximumRecordAgeInSeconds),
    onFailureArn: optionalStr(step, onFailure),
    enabled: props.Enabled !== false,
    uuid: stableUuid(`${step.deps.stackName}/${step.logicalId}`),
  };
}

/** A UUID that stays the same for the same name (Lambda gives each mapping a random one once; here it survives restarts). */
function stableUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function corsModel(cors: Props | undefined): CorsModel | undefined {
  if (!cors) return undefined;
  const list = (value: unknown) => ((value as string[] | undefined) ?? []);
  return {
    allowOrigins: list(cors.AllowOrigins), allowHeaders: list(cors.AllowHeaders), allowMethods: list(cors.AllowMethods),
    exposeHeaders: list(cors.ExposeHeaders), allowCredentials: cors.AllowCredentials === true,
    maxAge: cors.MaxAge === undefined ? undefined : Number(cors.MaxAge),
  };
}

function bucketNotifications(step: Step, bucket: string): BucketNotificationModel[] {
  const config = resolveValue(step.props.NotificationConfiguration ?? {}, step.context) as Props;
  const kinds = [['TopicConfigurations', 'topic', 'Topic'], ['LambdaConfigurations', 'lambda', 'Function'], ['QueueConfigurations', 'queue', 'Queue']] as const;
  return kinds.flatMap(([key, kind, targetKey]) => ((config[key] as Props[] | undefined) ?? []).map((entry) => {
    const rules = ((entry.Filter as { S3Key?: { Rules?: Array<{ Name: string; Value: string }> } } | undefined)?.S3Key?.Rules) ?? [];
    const rule = (name: string) => rules.find((r) => r.Name.toLowerCase() === name)?.Value;
    return { bucket, events: [String(entry.Event)], prefix: rule('prefix'), suffix: rule('suffix'), target: { kind, arn: String(entry[targetKey]) } };
  }));
}

/**
 * Secrets are registered before anything is provisioned: other resources name them by dynamic
 * reference (`{{resolve:secretsmanager:<name>}}`), which the dependency order cannot see.
 */
function registerSecrets(template: Template, deps: ProvisionDeps, context: ResolveContext): void {
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::SecretsManager::Secret') continue;
    const name = secretName(logicalId, (resource.Properties ?? {}) as Props, deps, context);
    // Secrets Manager appends 6 random characters to a secret's ARN; a fixed suffix keeps it stable here.
    deps.secrets.add(logicalId, name, arn('secretsmanager', deps, `secret:${name}-${localId(deps, logicalId, 6)}`));
  }
}

function secretName(logicalId: string, props: Props, deps: ProvisionDeps, context: ResolveContext): string {
  return props.Name === undefined ? generatedName(deps, logicalId) : resolveString(props.Name, context);
}
