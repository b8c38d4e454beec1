import { spawnSync } from 'node:child_process';
import { freePort, waitForPort } from '../net.ts';
import { raceExit, spawnQuiet, stopProcess } from './process.ts';
import type { RunningService } from './types.ts';

/** Uses REDIS_URL when given (an existing Redis), else starts redis-server without persistence. */
export async function startRedis(options: { port?: number; url?: string } = {}): Promise<RunningService> {
  if (options.url) return { name: 'redis', endpoint: options.url, stop: async () => {} };
  const port = options.port ?? await freePort();
  const { child, output } = spawnQuiet('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes',
  ], {});
  await raceExit(child, waitForPort(port, 'redis-server'), 'redis-server', output);
  return { name: 'redis', endpoint: `redis://127.0.0.1:${port}`, stop: () => stopProcess(child) };
}

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}
