// @refarch/local-cloud: what scripts, benchmarks and tests may use of the local cloud. Everything else
// under local/ is its inside and may change freely; src/ never imports this package (eslint.config.js).

import type { LocalCloud, LocalCloudOptions } from './cloud/index.ts';
import type { RedisService, startRedis as startRedisService } from './services/redis.ts';

/**
 * The whole local cloud, as `npm start` runs it. Loaded on first call: most importers (scripts that only
 * need the local credentials or a token) would otherwise load every emulator for nothing.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const cloud = await import('./cloud/index.ts');
  return cloud.startLocalCloud(options);
}
export type { Endpoints, LocalCloud, LocalCloudOptions } from './cloud/index.ts';
export { startLocalServer } from './cloud/servers.ts';

// The packaged CloudFormation template it runs.
export { packageService, resourcesOfType } from './template.ts';
export type { LocalServerSpec, Template, TemplateResource } from './template.ts';

// One service or one part on its own, for tests of that part.
export { startDynamoDb } from './services/dynamodb.ts';
export { startKinesis } from './services/kinesis.ts';
/** A redis-server (or `url`'s), loaded on first call as startLocalCloud is: the Redis client is heavy to import. */
export async function startRedis(...args: Parameters<typeof startRedisService>): Promise<RedisService> {
  const redis = await import('./services/redis.ts');
  return redis.startRedis(...args);
}
export { startSecretsManager } from './services/secrets-manager.ts';
export { LOCAL_ACCOUNT, LOCAL_CREDENTIALS, LOCAL_REGION } from './services/types.ts';
export type { RunningService, ServiceControl } from './services/types.ts';
export { localSecretStore } from './cloud/secrets.ts';
export type { LocalSecret, LocalSecretStore } from './cloud/secrets.ts';
export { startMapping } from './mappings/index.ts';
export type { EventSourceMappingSpec, RunningMapping } from './mappings/index.ts';
export { createRuntime } from './runtime/index.ts';
export type { FunctionSpec, InvocationResult, LambdaRuntime } from './runtime/index.ts';

// Callers' credentials as the local cloud accepts them: users' tokens, Twilio's signature.
export { subFor } from './cloud/jwt-authorizer.ts';
export { localTokens } from './tokens.ts';
export { localTwilioSigner } from './twilio-signer.ts';
export type { TwilioSigner } from './twilio-signer.ts';

// Waiting for local servers.
export { freePort, waitForPort, waitUntil } from './net.ts';
