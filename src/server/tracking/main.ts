// `npm run tracking-server`: the long-running tracker (REDIS_*, CORE_DATA_CHANNEL, TRACKING_STREAM, PORT, HOST).
// Deployed as the ECS service of infra/tracking-service.yml from the bundle `npm run build:tracker` makes.
import './xray-manual-mode.ts'; // first: before anything loads the X-Ray SDK
import type { AddressInfo } from 'node:net';
import { createTracker, trackerConfigFromEnv } from '../../services/tracking/track-hit.ts';
import { logger } from './logger.ts';
import { batcherOptionsFromEnv } from './config.ts';
import { createTrackingServer } from './server.ts';
import { createRecordBatcher } from '../../adapters/kinesis-batcher.ts';
import { createProgramCache } from '../../domain/tracking/program-cache.ts';

const SHUTDOWN_GRACE_MS = 10_000;

// A long-running process keeps trying to reach Redis rather than giving up, and sends the events of
// concurrent hits to Kinesis together (each hit still waits until its own record is accepted).
const config = trackerConfigFromEnv(Infinity);
const batcher = createRecordBatcher(config.stream, batcherOptionsFromEnv());
// TRACKING_CACHE_TTL_MS shortens the L1 cache's 10 minutes, e.g. to measure Redis lookups (bench).
const cacheTtlMs = process.env.TRACKING_CACHE_TTL_MS ? Number(process.env.TRACKING_CACHE_TTL_MS) : undefined;
const tracker = createTracker({ ...config, put: batcher.put }, logger, createProgramCache({ ttlMs: cacheTtlMs }));
const subscription = await tracker.subscribe();
const server = createTrackingServer(tracker);
server.keepAliveTimeout = 65_000;

server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  console.log(`tracking server listening on http://${address}:${port}`);
});

/**
 * Stops taking connections, lets requests in flight finish, then closes Redis. Each hit waits until Kinesis has
 * accepted its record, so once the last answer is sent nothing is left in the batcher. Keep-alive connections
 * (the load balancer's) are closed as soon as they fall idle, not after keepAliveTimeout. On ECS the grace
 * period must stay below the task's stopTimeout (infra/tracking-service.yml), or SIGKILL cuts it short.
 */
function shutDown(signal: string): void {
  logger.info('shutting down', { signal });
  setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
  server.close(() => {
    subscription.close().finally(() => process.exit(0));
  });
  setInterval(() => server.closeIdleConnections(), 100).unref();
}
process.once('SIGTERM', shutDown);
process.once('SIGINT', shutDown);
