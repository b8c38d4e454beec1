import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * A fresh, empty folder for a service's data, so that the service can be restarted without losing it.
 * It is in RAM (/dev/shm) where there is one: DynamoDB Local on a disk file is about 3x slower than in
 * memory, on tmpfs about as fast. Each state folder gets its own, so two local clouds never share one.
 */
export function freshDataDir(stateDir: string, service: string): string {
  const dir = existsSync('/dev/shm')
    ? join('/dev/shm', `refarch-${createHash('sha256').update(resolve(stateDir)).digest('hex').slice(0, 12)}`, service)
    : join(stateDir, 'services', service);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Removes a service's data folder, and the local cloud's folder around it once it holds no other. */
export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  const parent = dirname(dir);
  if (existsSync(parent) && readdirSync(parent).length === 0) rmdirSync(parent);
}
