import { spawnSync } from 'node:child_process';
import { createClient } from 'redis';
import { freePort } from '../net.ts';
import { removeDataDir } from './data-dir.ts';
import { restartableProcess, spawnQuiet } from './process.ts';
import type { RunningService } from './types.ts';

export interface RedisService extends RunningService {
  /** Sets AUTH on a Redis we started (kept across restarts); undefined for someone else's Redis. */
  requirePassword?(password: string): Promise<void>;
}

/**
 * Uses `url` when given (an existing Redis), else starts redis-server: without persistence, or with
 * `dataDir` an append-only file there, so a restart keeps every acknowledged write.
 */
export async function startRedis(
  options: { port?: number; url?: string; dataDir?: string } = {},
): Promise<RedisService> {
  if (options.url) return { name: 'redis', endpoint: options.url, stop: async () => {} };
  const port = options.port ?? (await freePort());
  const endpoint = `redis://127.0.0.1:${port}`;
  const persistence = options.dataDir
    ? ['--dir', options.dataDir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--save', '', '--appendonly', 'no'];
  let password: string | undefined;
  const launch = () =>
    spawnQuiet(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--protected-mode',
        'yes',
        ...persistence,
        ...(password ? ['--requirepass', password] : []),
      ],
      {},
    );
  const control = await restartableProcess('redis-server', port, launch);
  return {
    name: 'redis',
    endpoint,
    control,
    stop: async () => {
      await control.stop();
      if (options.dataDir) removeDataDir(options.dataDir);
    },
    requirePassword: async (newPassword) => {
      const client = createClient({ url: endpoint, password });
      await client.connect();
      try {
        await client.configSet('requirepass', newPassword);
      } finally {
        await client.close();
      }
      password = newPassword;
    },
  };
}

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}
