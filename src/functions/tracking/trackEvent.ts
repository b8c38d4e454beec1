import type { Subscription } from '../../adapters/redis.ts';
import { lazy } from '../shared/config.ts';
import { createTracker, HitRefused, trackerConfigFromEnv } from '../../services/tracking/track-hit.ts';
import { httpHandler, HttpError, json, route } from '../shared/http.ts';
import { logger } from '../shared/logger.ts';

// Few reconnect attempts: a hit is answered (500) rather than left waiting on an unreachable Redis.
const tracker = lazy(() => createTracker(trackerConfigFromEnv(3), logger));
let subscription: Promise<Subscription> | undefined;

/**
 * `GET /event/{programId}`: 200 with `{messageId, programId, timestampMs}` once the enriched event is
 * on TrackingEventStream; 404 for an unknown program, 403 for an invalid one. The instance subscribes to core-data updates on its first
 * hit, so a program turned invalid is refused without waiting for the L1 TTL.
 */
export const handler = httpHandler({
  'GET /event/{programId}': route({
    handle: async ({ event }) => {
      keepCacheCurrent();
      const hit = { programId: event.pathParameters?.programId ?? '', userAgent: event.headers?.['user-agent'] ?? '' };
      return json(200, await track(hit), { 'Cache-Control': 'no-store' });
    },
  }),
});

async function track(hit: { programId: string; userAgent: string }) {
  try {
    return await tracker().track(hit);
  } catch (error) {
    if (error instanceof HitRefused) throw new HttpError(error.status, error.code, error.message);
    throw error;
  }
}

/** Starts the subscription in the background (a failed one is retried on the next hit). */
function keepCacheCurrent(): void {
  subscription ??= tracker()
    .subscribe()
    .catch((error: unknown) => {
      logger.warn('core-data subscription failed; retrying on the next hit', error as Error);
      subscription = undefined;
      throw error;
    });
  subscription.catch(() => {});
}
