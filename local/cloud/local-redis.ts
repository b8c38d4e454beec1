import { createClient } from 'redis';
import type { LocalRedis } from './provision.ts';

/**
 * The Redis the local cloud started (or REDIS_URL's), as the ElastiCache stand-in. Setting the AUTH
 * token is only done on a Redis we started ourselves: someone else's Redis keeps its own settings.
 */
export function localRedis(endpoint: string, ownedByUs: boolean): LocalRedis & { url(): string } {
  const parsed = new URL(endpoint);
  let password = decodeURIComponent(parsed.password);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    requirePassword: async (token) => {
      if (!ownedByUs) return;
      const client = createClient({ url: endpoint, password: password || undefined });
      await client.connect();
      try { await client.configSet('requirepass', token); } finally { await client.close(); }
      password = token;
    },
    url: () => {
      const url = new URL(endpoint);
      if (password) url.password = encodeURIComponent(password);
      return url.toString().replace(/\/$/, '');
    },
  };
}
