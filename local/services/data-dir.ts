import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
