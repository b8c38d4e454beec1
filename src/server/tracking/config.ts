import { BATCHER_DEFAULTS } from '../../adapters/kinesis-batcher.ts';
import type { BatcherOptions } from '../../adapters/kinesis-batcher.ts';

/**
 * The tracking server's batcher limits, the one place they are read from the environment:
 * TRACKING_QUEUE_MAX_RECORDS and TRACKING_QUEUE_MAX_BYTES bound what waits for Kinesis (beyond them
 * hits get 503), TRACKING_MAX_IN_FLIGHT the PutRecords calls at once.
 */
export function batcherOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): BatcherOptions {
  return {
    maxRecords: positiveInteger(env, 'TRACKING_QUEUE_MAX_RECORDS', BATCHER_DEFAULTS.maxRecords),
    maxBytes: positiveInteger(env, 'TRACKING_QUEUE_MAX_BYTES', BATCHER_DEFAULTS.maxBytes),
    maxInFlight: positiveInteger(env, 'TRACKING_MAX_IN_FLIGHT', BATCHER_DEFAULTS.maxInFlight),
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, not ${JSON.stringify(text)}`);
  return value;
}
