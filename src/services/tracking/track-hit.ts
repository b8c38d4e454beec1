import { randomUUID } from 'node:crypto';
import { putRecord } from '../../adapters/kinesis.ts';
import { readProgramHash, redisSettingsFromEnv, sharedRedisClient, subscribe } from '../../adapters/redis.ts';
import type { RedisSettings, Subscription } from '../../adapters/redis.ts';
import { fromHash, parseCoreDataText } from '../../domain/tracking/core-data.ts';
import { createProgramCache, createProgramLookup } from '../../domain/tracking/program-cache.ts';
import type { ProgramCache } from '../../domain/tracking/program-cache.ts';
import { encodeTrackingEvent, enrichHit, hitAnswer } from '../../domain/tracking/tracking-event.ts';
import type { HitAnswer } from '../../domain/tracking/tracking-event.ts';

/**
 * "Handle a hit", shared by the trackEvent Lambda and the tracking server: find the program (L1
 * cache, which also remembers unknown ids for 10 s, then Redis), refuse unknown and invalid programs, put the enriched protobuf event on the
 * stream and only then answer with the hit's id and time (the enriched event is for the stream only:
 * callers are anonymous and get no customer data).
 */

export interface Tracker {
  /** The hit's answer once its event is on the stream; throws HitRefused for an unknown or invalid program. */
  track(hit: { programId: string; userAgent: string }): Promise<HitAnswer>;
  /** Keeps the L1 cache current from the core-data channel (push, not pull). */
  subscribe(): Promise<Subscription>;
  readonly cache: ProgramCache;
}

/** A hit the tracker refuses, with the HTTP status and error code both callers answer it with. */
export class HitRefused extends Error {
  readonly status: 403 | 404;
  readonly code: 'unknown_program' | 'program_invalid';

  constructor(status: 403 | 404, code: HitRefused['code'], message: string) {
    super(message);
    this.name = 'HitRefused';
    this.status = status;
    this.code = code;
  }
}

/** Where the tracker reports core-data channel events (the caller's structured logger). */
export interface TrackerLog {
  info(message: string): void;
  warn(message: string, extra: { reason: string }): void;
}

export interface TrackerConfig {
  stream: string;
  keyPrefix: string;
  channel: string;
  redis: () => RedisSettings;
  /** How an event reaches the stream; default one PutRecord per hit (the Lambda serves one hit at a time). */
  put?: (data: Uint8Array, partitionKey: string) => Promise<unknown>;
}

export function trackerConfigFromEnv(maxRedisRetries: number): TrackerConfig {
  return {
    stream: requiredEnv('TRACKING_STREAM'),
    keyPrefix: requiredEnv('REDIS_KEY_PREFIX'),
    channel: requiredEnv('CORE_DATA_CHANNEL'),
    redis: () => redisSettingsFromEnv(maxRedisRetries),
  };
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
}

export function createTracker(
  config: TrackerConfig,
  log: TrackerLog,
  cache: ProgramCache = createProgramCache(),
): Tracker {
  const redis = sharedRedisClient(config.redis);
  const put = config.put ?? ((data: Uint8Array, partitionKey: string) => putRecord(config.stream, data, partitionKey));

  // Redis is read only on a cache miss; an id it does not know is not read again for a while (negative cache).
  const program = createProgramLookup(cache, async (programId) =>
    fromHash(await readProgramHash(await redis(), config.keyPrefix, programId)),
  );

  return {
    cache,
    track: async (hit) => {
      const found = await program(hit.programId);
      if (!found) throw new HitRefused(404, 'unknown_program', `No program ${hit.programId}`);
      if (!found.valid)
        throw new HitRefused(403, 'program_invalid', `Program ${hit.programId} does not accept tracking hits`);
      const event = enrichHit(found, hit, { messageId: randomUUID(), timestampMs: Date.now() });
      await put(encodeTrackingEvent(event), event.messageId);
      return hitAnswer(event);
    },
    subscribe: () =>
      subscribe(config.redis(), config.channel, {
        onMessage: (message) => {
          const parsed = parseCoreDataText(message);
          if (parsed.ok) cache.remember(parsed.value);
          else log.warn('ignored a malformed core-data message', { reason: parsed.reason });
        },
        // Updates published while disconnected are lost: forget everything, Redis has the truth.
        onReconnect: () => {
          log.info('core-data subscription restored; L1 cache cleared');
          cache.clear();
        },
      }),
  };
}
