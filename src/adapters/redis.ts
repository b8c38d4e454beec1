import { createHash } from 'node:crypto';
import { once } from 'node:events';
// The client alone: the 'redis' package also loads its search, JSON, time-series and bloom modules (~100 KB of bundle).
import { createClient } from '@redis/client';
import { toHash } from '../domain/tracking/core-data.ts';
import type { CoreData } from '../domain/tracking/core-data.ts';
import { APPLY_CORE_DATA_LUA } from './redis-scripts.ts';
import { secretString } from './secrets.ts';

export type RedisClient = ReturnType<typeof newRedisClient>;

export interface RedisSettings {
  url: string;
  /**
   * ElastiCache AUTH token (the local Redis requires one too): the token, or a reader called at each
   * (re)connect so a rotated secret is picked up; absent: no AUTH.
   */
  authToken?: string | (() => Promise<string>) | undefined;
  /** Reconnect attempts before giving up; Infinity for long-running processes. */
  maxRetries?: number;
}

/**
 * Settings from REDIS_URL and REDIS_AUTH_SECRET (set in serverless.yml): the AUTH token is read from
 * that Secrets Manager secret at connect time, never from the environment.
 */
export function redisSettingsFromEnv(maxRetries: number): RedisSettings {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('environment variable REDIS_URL is not set');
  return redisSettings(url, process.env.REDIS_AUTH_SECRET, maxRetries);
}

/** Settings of a Redis at `url` whose AUTH token, if any, is the Secrets Manager secret `authSecretId`. */
export function redisSettings(url: string, authSecretId: string | undefined, maxRetries: number): RedisSettings {
  return { url, authToken: authSecretId ? () => secretString(authSecretId) : undefined, maxRetries };
}

/** Exponential backoff with jitter, capped; after maxRetries the client gives up (and closes). */
export function reconnectDelay(retries: number, maxRetries: number): number | Error {
  if (retries >= maxRetries) return new Error(`Redis unreachable after ${retries} reconnect attempts`);
  return Math.min(2_000, 50 * 2 ** retries) + Math.floor(Math.random() * 100);
}

/** A new, unconnected client. Commands fail at once while disconnected instead of queueing. */
export function newRedisClient(settings: RedisSettings) {
  const maxRetries = settings.maxRetries ?? 3;
  const client = createClient({
    url: settings.url,
    ...authOptions(settings.authToken),
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries) => reconnectDelay(retries, maxRetries) },
  });
  // Without a listener an 'error' event would crash the process; the reconnect strategy handles it.
  client.on('error', () => {});
  return client;
}

function authOptions(token: RedisSettings['authToken']) {
  if (typeof token === 'function') {
    return {
      credentialsProvider: {
        type: 'async-credentials-provider' as const,
        credentials: async () => ({ password: await token() }),
      },
    };
  }
  return token ? { password: token } : {};
}

const READY_WAIT_MS = 1_000;

/**
 * A connected client shared by the calls of one process, created on first use. A client that is
 * reconnecting is waited for briefly (commands are not queued while it is down); one that gave up
 * reconnecting is replaced by a new one on the next call.
 */
export function sharedRedisClient(settings: () => RedisSettings): () => Promise<RedisClient> {
  let connecting: Promise<RedisClient> | undefined;
  let current: RedisClient | undefined;
  return async () => {
    if (current?.isOpen && !current.isReady) await readyOrTimeout(current, READY_WAIT_MS);
    if (current && !current.isOpen) {
      current = undefined;
      connecting = undefined;
    }
    connecting ??= connectNew(settings()).then(
      (client) => (current = client),
      (error: unknown) => {
        connecting = undefined;
        throw error;
      },
    );
    return connecting;
  };
}

/** Resolves when the client is ready again, or after the wait (its commands then fail fast). */
async function readyOrTimeout(client: RedisClient, waitMs: number): Promise<void> {
  const signal = AbortSignal.timeout(waitMs);
  await Promise.race([once(client, 'ready', { signal }), once(client, 'end', { signal })]).catch(() => {});
}

async function connectNew(settings: RedisSettings): Promise<RedisClient> {
  const client = newRedisClient(settings);
  await client.connect();
  return client;
}

const APPLY_SHA = createHash('sha1').update(APPLY_CORE_DATA_LUA).digest('hex');

export type ApplyOutcome = 'applied' | 'stale';

/**
 * Writes a program's hash and publishes it on the channel, atomically and only if its version is
 * newer than the stored one. EVALSHA, falling back to EVAL when the script is not cached yet.
 */
export async function applyCoreData(
  client: RedisClient,
  options: { keyPrefix: string; channel: string },
  coreData: CoreData,
): Promise<ApplyOutcome> {
  const keys = [options.keyPrefix + coreData.programId];
  const args = [
    String(coreData.version),
    options.channel,
    JSON.stringify(coreData),
    ...Object.entries(toHash(coreData)).flat(),
  ];
  let result: unknown;
  try {
    result = await client.evalSha(APPLY_SHA, { keys, arguments: args });
  } catch (error) {
    if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
    result = await client.eval(APPLY_CORE_DATA_LUA, { keys, arguments: args });
  }
  return result === 1 ? 'applied' : 'stale';
}

/** A program's hash fields ({} when the program is unknown). */
export async function readProgramHash(
  client: RedisClient,
  keyPrefix: string,
  programId: string,
): Promise<Record<string, string>> {
  return client.hGetAll(keyPrefix + programId) as Promise<Record<string, string>>;
}

export interface Subscription {
  /** The dedicated connection (RESP2 pub/sub needs its own). */
  client: RedisClient;
  close(): Promise<void>;
}

/**
 * Subscribes to a channel on a dedicated connection that reconnects forever. The client resubscribes
 * by itself after a reconnect; messages published while it was away are lost, so `onReconnect` lets
 * the caller drop what may have gone stale.
 */
export async function subscribe(
  settings: RedisSettings,
  channel: string,
  handlers: { onMessage(message: string): void; onReconnect(): void },
): Promise<Subscription> {
  const client = newRedisClient({ ...settings, maxRetries: Infinity });
  let connectedBefore = false;
  client.on('ready', () => {
    if (connectedBefore) handlers.onReconnect();
    connectedBefore = true;
  });
  await client.connect();
  await client.subscribe(channel, (message) => handlers.onMessage(message));
  return {
    client,
    close: async () => {
      if (client.isOpen) await client.close();
    },
  };
}
