import type { DeliveryStreamSpec } from '../firehose/index.ts';

/**
 * What the local cloud reads out of the packaged template: the functions and every way they are
 * triggered. Shapes of functions and mappings match local/runtime and local/mappings.
 */
export interface FunctionModel {
  name: string;
  physicalName: string;
  arn: string;
  handlerFile: string;
  handlerExport: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  async?: { maximumRetryAttempts: number; maximumEventAgeInSeconds?: number; onFailureArn?: string };
  /** ReservedConcurrentExecutions, when the template sets it (see FunctionSpec.reservedConcurrency). */
  reservedConcurrency?: number;
  /** Set by `npm start -- --inspect <function>` (see FunctionSpec.inspectPort). */
  inspectPort?: number;
}

export interface MappingModel {
  id: string;
  functionName: string;
  kind: 'kinesis' | 'dynamodb';
  sourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  startingPositionTimestamp?: number;
  reportBatchItemFailures: boolean;
  bisectBatchOnFunctionError: boolean;
  maximumRetryAttempts: number;
  maximumRecordAgeInSeconds: number;
  onFailureArn?: string;
  enabled: boolean;
  /** The mapping's UUID (Lambda's name for it; S3 on-failure objects are filed under it). */
  uuid?: string;
}

export interface RouteModel {
  method: string; // GET, POST, ... or ANY
  path: string; // /votes, /event/{programId}, /{proxy+}, or $default
  routeKey: string;
  functionName: string;
  authorizer?: { type: 'JWT'; issuer: string; audience: string[]; identitySource: string };
}

export interface CorsModel {
  allowOrigins: string[];
  allowHeaders: string[];
  allowMethods: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  maxAge?: number;
}

export interface SubscriptionModel {
  topicArn: string;
  protocol: string;
  endpoint: string;
  filterPolicy?: unknown;
}

export interface BucketNotificationModel {
  bucket: string;
  events: string[]; // e.g. s3:ObjectCreated:*
  prefix?: string;
  suffix?: string;
  target: { kind: 'topic' | 'lambda' | 'queue'; arn: string };
}

export interface ProvisionedResource {
  logicalId: string;
  type: string;
  physicalId: string;
  arn?: string;
}

export interface CloudModel {
  stackName: string;
  functions: FunctionModel[];
  mappings: MappingModel[];
  routes: RouteModel[];
  cors?: CorsModel;
  subscriptions: SubscriptionModel[];
  bucketNotifications: BucketNotificationModel[];
  resources: ProvisionedResource[];
  /** Firehose delivery streams (Kinesis source -> S3); absent when the template has none. */
  deliveryStreams?: DeliveryStreamSpec[];
}
