// Drives one pipeline at a steady rate through its real entry point, then waits until what it accepted
// is visible in the pipeline's sink: throughput, request latency, errors and end-to-end freshness.
import { setTimeout as sleep } from 'node:timers/promises';

/** One pipeline as the load tool sees it: how to send input i, and which accepted inputs its sink shows. */
export interface LoadDriver {
  name: string;
  /** What the driver needs before the first send (e.g. core data for tracking). */
  prepare?(): Promise<void>;
  /** Sends input i; `key` identifies it in the sink when accepted (2xx, or a record on a stream). */
  send(i: number): Promise<{ accepted: boolean; status: string; key?: string }>;
  /** The subset of keys now visible in the sink. */
  visible(keys: readonly string[]): Promise<Set<string>>;
  /** How many times more than once the sink holds an input, for sinks that could (default: none can). */
  duplicates?(): Promise<number>;
  /** Strings that all appear in a dead letter about the input with this key (default: the key). */
  marks?(key: string): string[];
  close?(): void;
}

export interface LoadOptions {
  durationS: number;
  rate: number;
  settleS?: number;
  pollMs?: number;
  /** The texts of the dead letters the stack holds: accepted inputs found there count as dead-lettered, not lost. */
  deadLetters?: () => Promise<string[]>;
  /** Kept up to date while the load runs, for progress lines. */
  counts?: LoadCounts;
}

/** What a running load has done so far. */
export interface LoadCounts {
  offered: number;
  accepted: number;
  stored: number;
  deadLettered: number;
  settling: boolean;
}

export const loadCounts = (): LoadCounts => ({ offered: 0, accepted: 0, stored: 0, deadLettered: 0, settling: false });

/** One progress line for the loads running, by pipeline: totals so far, and which pipelines still wait for their sink. */
export function progressLine(elapsedS: number, counts: Record<string, LoadCounts>): string {
  const all = Object.values(counts);
  const sum = (field: 'offered' | 'accepted' | 'stored' | 'deadLettered') =>
    all.reduce((total, c) => total + c[field], 0);
  const waiting = Object.entries(counts)
    .map(([name, c]) => [name, c.accepted - c.stored - c.deadLettered] as const)
    .filter(([, n]) => n > 0);
  const phase = all.every((c) => c.settling) ? 'settling' : 'sending';
  return (
    `  ${String(elapsedS).padStart(4)} s  ${phase}: offered ${sum('offered')}, accepted ${sum('accepted')}, stored ${sum('stored')}` +
    (sum('deadLettered') > 0 ? `, dead-lettered ${sum('deadLettered')}` : '') +
    (all.length > 1 && waiting.length > 0
      ? `; not yet in the sink: ${waiting.map(([name, n]) => `${name} ${n}`).join(', ')}`
      : '')
  );
}

export interface LoadResult {
  pipeline: string;
  sent: number;
  accepted: number;
  refused: number;
  errors: number;
  /** Accepted inputs visible in the sink by the end of the settle time. */
  stored: number;
  /** Accepted inputs not in the sink but in a dead-letter queue (with the reason). */
  deadLettered: number;
  /** Accepted inputs neither in the sink nor in a dead-letter queue. */
  lost: number;
  /** The keys of the lost inputs. */
  lostKeys: string[];
  duplicates: number;
  /** Inputs started per second (the offered load), and accepted per second until the last answer. */
  offeredRate: number;
  acceptedRate: number;
  latencyMs: Percentiles;
  freshnessMs: Percentiles;
  statuses: Record<string, number>;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The nearest-rank p-th percentile (0-100) of sorted values; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** When input i is due: an open loop, so a slow pipeline does not slow the sender (honest latencies). */
export const dueAtMs = (i: number, rate: number) => (i * 1000) / rate;

export async function runLoad(driver: LoadDriver, options: LoadOptions): Promise<LoadResult> {
  await driver.prepare?.();
  const total = Math.max(1, Math.round(options.durationS * options.rate));
  const counts = options.counts ?? loadCounts();
  const watch = watchSink(driver, { ...options, counts }); // polls while inputs are still being sent: freshness is honest
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let [accepted, errors] = [0, 0];
  const start = performance.now();
  const sends: Array<Promise<void>> = [];
  for (let i = 0; i < total; i += 1) {
    const wait = start + dueAtMs(i, options.rate) - performance.now();
    if (wait > 1) await sleep(wait);
    counts.offered += 1;
    sends.push(
      (async () => {
        const began = performance.now();
        const outcome = await driver.send(i).catch((error: Error) => ({
          accepted: false,
          status: `error: ${error.message.slice(0, 80)}`,
          key: undefined,
        }));
        const ended = performance.now();
        latencies.push(ended - began);
        statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
        if (outcome.status.startsWith('error') || /^5\d\d$/.test(outcome.status)) errors += 1;
        if (outcome.accepted && outcome.key) {
          accepted += 1;
          counts.accepted += 1;
          watch.expect(outcome.key, ended);
        }
      })(),
    );
  }
  const offeredSeconds = (performance.now() - start) / 1000;
  await Promise.all(sends);
  const answeredSeconds = (performance.now() - start) / 1000;
  counts.settling = true;
  const { freshness, deadLettered, lostKeys } = await watch.settle();
  const duplicates = (await driver.duplicates?.()) ?? 0;
  driver.close?.();
  return {
    pipeline: driver.name,
    sent: total,
    accepted,
    refused: total - accepted - errors,
    errors,
    stored: freshness.length,
    deadLettered,
    lost: lostKeys.length,
    lostKeys,
    duplicates,
    offeredRate: round1(total / offeredSeconds),
    acceptedRate: round1(accepted / answeredSeconds),
    latencyMs: percentiles(latencies),
    freshnessMs: percentiles(freshness),
    statuses,
  };
}

/**
 * Polls the sink for the keys it is told to expect, from the first send on; `settle()` keeps polling
 * until every expected key is visible (or, once sending is over, dead-lettered) or the settle time runs
 * out, and returns the freshness per key.
 */
function watchSink(driver: LoadDriver, options: LoadOptions & { counts: LoadCounts }) {
  const pending = new Map<string, number>();
  const freshness: number[] = [];
  let deadLettered = 0;
  let deadline = Number.POSITIVE_INFINITY;
  const settling = () => deadline !== Number.POSITIVE_INFINITY;
  const loop = (async () => {
    for (let round = 0; performance.now() < deadline && (pending.size > 0 || !settling()); round += 1) {
      if (pending.size > 0) {
        const seen = await driver.visible([...pending.keys()]).catch(() => new Set<string>());
        const now = performance.now();
        for (const key of seen) {
          const acceptedAt = pending.get(key);
          if (acceptedAt === undefined) continue;
          pending.delete(key);
          freshness.push(now - acceptedAt);
          options.counts.stored += 1;
        }
      }
      // Dead letters are looked for only when sending is over, every 8th round: they are rare and costly to read.
      if (settling() && pending.size > 0 && options.deadLetters && round % 8 === 0) {
        const texts = await options.deadLetters().catch(() => []);
        const marks = driver.marks ?? ((key: string) => [key]);
        for (const key of [...pending.keys()]) {
          if (texts.some((text) => marks(key).every((mark) => text.includes(mark)))) {
            pending.delete(key);
            deadLettered += 1;
            options.counts.deadLettered += 1;
          }
        }
      }
      await sleep(options.pollMs ?? 250);
    }
  })();
  return {
    expect: (key: string, acceptedAt: number) => {
      pending.set(key, acceptedAt);
    },
    settle: async () => {
      deadline = performance.now() + (options.settleS ?? 60) * 1000;
      await loop;
      return { freshness, deadLettered, lostKeys: [...pending.keys()] };
    },
  };
}

/** The result as a table row (one per pipeline) for console.table and docs. */
export function resultRow(result: LoadResult) {
  const ms = (value: number) => (Number.isFinite(value) ? Math.round(value) : '-');
  return {
    pipeline: result.pipeline,
    sent: result.sent,
    'offered/s': result.offeredRate,
    'accepted/s': result.acceptedRate,
    accepted: result.accepted,
    refused: result.refused,
    errors: result.errors,
    stored: result.stored,
    'dead-lettered': result.deadLettered,
    lost: result.lost,
    duplicates: result.duplicates,
    'latency p50/p99 ms': `${ms(result.latencyMs.p50)} / ${ms(result.latencyMs.p99)}`,
    'freshness p50/p99 ms': `${ms(result.freshnessMs.p50)} / ${ms(result.freshnessMs.p99)}`,
  };
}
