import { LRUCache } from 'lru-cache';
import { isNewer } from './core-data.ts';
import type { CoreData } from './core-data.ts';

/** DESIGN.md §3: the L1 cache of a tracker holds up to 100,000 programs for 10 minutes each. */
export const PROGRAM_CACHE_MAX = 100_000;
export const PROGRAM_CACHE_TTL_MS = 10 * 60 * 1000;
/**
 * How long a program id Redis did not know is answered "unknown" without asking Redis again: a flood of
 * hits on one made-up id costs one Redis read per 10 s. A program published meanwhile is seen at once
 * anyway, since its core-data message replaces the mark (`remember`).
 */
export const UNKNOWN_PROGRAM_TTL_MS = 10 * 1000;

export interface ProgramCache {
  get(programId: string): CoreData | undefined;
  /** Whether the id is marked unknown (Redis did not know it less than UNKNOWN_PROGRAM_TTL_MS ago). */
  isKnownUnknown(programId: string): boolean;
  /** Keeps a program unless the cache already holds a newer version (a late read must not undo a push); clears an unknown mark. */
  remember(program: CoreData): void;
  /** Marks an id unknown, unless the cache holds its program (pushed while Redis was being read). */
  rememberUnknown(programId: string): void;
  /** Forgets everything, e.g. after updates may have been missed. */
  clear(): void;
  /** Programs held (unknown marks are not counted). */
  readonly size: number;
}

export interface ProgramCacheOptions {
  max?: number;
  ttlMs?: number;
  unknownTtlMs?: number;
  /** The clock in milliseconds; tests pass a fake one. */
  now?: () => number;
}

/**
 * An LRU cache of programs with a TTL (lru-cache, with the clock injected), and beside it an LRU of ids
 * known to be unknown with a short TTL. The two are separate, so a flood of random ids evicts only other
 * unknown marks, never a real program.
 */
export function createProgramCache(options: ProgramCacheOptions = {}): ProgramCache {
  const clock = options.now ? { perf: { now: options.now } } : {};
  const max = options.max ?? PROGRAM_CACHE_MAX;
  // ttlResolution 0: read the clock on every check (lru-cache otherwise reuses one reading for ttlResolution ms).
  const programs = new LRUCache<string, CoreData>({
    max,
    ttl: options.ttlMs ?? PROGRAM_CACHE_TTL_MS,
    ttlResolution: 0,
    ...clock,
  });
  const unknown = new LRUCache<string, true>({
    max,
    ttl: options.unknownTtlMs ?? UNKNOWN_PROGRAM_TTL_MS,
    ttlResolution: 0,
    ...clock,
  });
  return {
    get: (programId) => programs.get(programId),
    isKnownUnknown: (programId) => unknown.get(programId) === true,
    remember: (program) => {
      unknown.delete(program.programId);
      const cached = programs.get(program.programId);
      if (cached === undefined || isNewer(program.version, cached.version)) programs.set(program.programId, program);
    },
    rememberUnknown: (programId) => {
      if (!programs.has(programId)) unknown.set(programId, true);
    },
    clear: () => {
      programs.clear();
      unknown.clear();
    },
    get size() {
      return programs.size;
    },
  };
}

/**
 * A program by id: from the cache, else from `load` (Redis). What `load` finds is remembered, and so is
 * what it does not find (for UNKNOWN_PROGRAM_TTL_MS). Concurrent lookups of an id not in the cache share
 * one load, so a burst of hits on one id is one Redis read, not one per hit.
 */
export function createProgramLookup(
  cache: ProgramCache,
  load: (programId: string) => Promise<CoreData | undefined>,
): (programId: string) => Promise<CoreData | undefined> {
  const loading = new Map<string, Promise<CoreData | undefined>>();
  return async (programId) => {
    const cached = cache.get(programId);
    if (cached) return cached;
    if (cache.isKnownUnknown(programId)) return undefined;
    let pending = loading.get(programId);
    if (!pending) {
      pending = load(programId)
        .then((found) => {
          if (found) cache.remember(found);
          else cache.rememberUnknown(programId);
          // A push that arrived during the load wins over what the load read.
          return cache.get(programId) ?? found;
        })
        .finally(() => loading.delete(programId));
      loading.set(programId, pending);
    }
    return pending;
  };
}
