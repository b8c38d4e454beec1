import { LRUCache } from 'lru-cache';
import { isNewer } from './core-data.ts';
import type { CoreData } from './core-data.ts';

/** DESIGN.md §3: the L1 cache of a tracker holds up to 100,000 programs for 10 minutes each. */
export const PROGRAM_CACHE_MAX = 100_000;
export const PROGRAM_CACHE_TTL_MS = 10 * 60 * 1000;

export interface ProgramCache {
  get(programId: string): CoreData | undefined;
  /** Keeps a program unless the cache already holds a newer version (a late read must not undo a push). */
  remember(program: CoreData): void;
  /** Forgets everything, e.g. after updates may have been missed. */
  clear(): void;
  readonly size: number;
}

export interface ProgramCacheOptions {
  max?: number;
  ttlMs?: number;
  /** The clock in milliseconds; tests pass a fake one. */
  now?: () => number;
}

/** An LRU cache of programs with a TTL (lru-cache, with the clock injected). */
export function createProgramCache(options: ProgramCacheOptions = {}): ProgramCache {
  const cache = new LRUCache<string, CoreData>({
    max: options.max ?? PROGRAM_CACHE_MAX,
    ttl: options.ttlMs ?? PROGRAM_CACHE_TTL_MS,
    // Read the clock on every check: lru-cache otherwise reuses one reading for ttlResolution ms.
    ttlResolution: 0,
    ...(options.now ? { perf: { now: options.now } } : {}),
  });
  return {
    get: (programId) => cache.get(programId),
    remember: (program) => {
      const cached = cache.get(program.programId);
      if (cached === undefined || isNewer(program.version, cached.version)) cache.set(program.programId, program);
    },
    clear: () => cache.clear(),
    get size() { return cache.size; },
  };
}
