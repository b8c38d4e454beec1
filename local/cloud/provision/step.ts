import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { SnsService } from '../../services/sns.ts';
import type { SqsService } from '../../services/sqs.ts';
import type { JwtAuthorizerModel } from '../jwt-authorizer.ts';
import type { CloudModel } from '../model.ts';
import { resolveString, type ResolveContext, type ResourceIdentity } from '../resolve.ts';
import type { LocalSecretStore } from '../secrets.ts';
import type { WebSocketApis } from '../../websocket/index.ts';

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

/** What the HTTP API's integrations and authorizers declared so far, for the routes that name them. */
export interface HttpApiParts {
  integrations: Map<string, string>;
  authorizers: Map<string, JwtAuthorizerModel>;
}

export type Props = Record<string, unknown>;
export interface Step {
  logicalId: string;
  props: Props;
  deps: ProvisionDeps;
  context: ResolveContext;
  model: CloudModel;
  httpApi: HttpApiParts;
}
/** Creates one resource locally (or records it in the model) and says how Ref and GetAtt answer for it. */
export type Provisioner = (step: Step) => Promise<ResourceIdentity> | ResourceIdentity;

export const arn = (service: string, deps: ProvisionDeps, resource: string) =>
  `arn:aws:${service}:${deps.region}:${deps.accountId}:${resource}`;

/** The name CloudFormation would generate when a template gives none. */
export function generatedName(deps: ProvisionDeps, logicalId: string, maxLength = 128): string {
  const suffix = createHash('sha256').update(`${deps.stackName}/${logicalId}`).digest('hex').slice(0, 12);
  return `${deps.stackName}-${logicalId}`.slice(0, maxLength - 13) + `-${suffix}`;
}

/** A stable lower-case alphanumeric id, as Cognito's generated ids look. */
export function localId(deps: ProvisionDeps, logicalId: string, length: number): string {
  return BigInt(`0x${createHash('sha256').update(`${deps.stackName}/${logicalId}`).digest('hex')}`)
    .toString(36)
    .slice(0, length);
}

export const str = (step: Step, value: unknown) => resolveString(value, step.context);
export const optionalStr = (step: Step, value: unknown) => (value === undefined ? undefined : str(step, value));
