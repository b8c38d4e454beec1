import type { RedisService } from '../services/redis.ts';
import type { LocalRedis } from './provision.ts';

/**
 * The Redis the local cloud started (or REDIS_URL's), as the ElastiCache stand-in. Setting the AUTH
 * token is only done on a Redis we started ourselves: someone else's Redis keeps its own settings.
 */
export function localRedis(redis: RedisService): LocalRedis & { url(): string } {
  const parsed = new URL(redis.endpoint);
  let password = decodeURIComponent(parsed.password);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    requirePassword: async (token) => {
      if (!redis.requirePassword) return;
      await redis.requirePassword(token);
      password = token;
    },
    url: () => {
      const url = new URL(redis.endpoint);
      if (password) url.password = encodeURIComponent(password);
      return url.toString().replace(/\/$/, '');
    },
  };
}
