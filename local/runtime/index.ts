import { randomUUID } from 'node:crypto';
import { defaultThrottleDelayMs, runAsyncInvocation, type AsyncCounters } from './async-invoke.ts';
import { createPool, type FunctionPool } from './pool.ts';
import type { FunctionSpec, FunctionStats, LambdaRuntime, RuntimeOptions } from './types.ts';

export type {
  FunctionSpec,
  FunctionStats,
  InvocationError,
  InvocationResult,
  LambdaRuntime,
  RuntimeOptions,
} from './types.ts';

interface Deployed {
  spec: FunctionSpec;
  pool: FunctionPool;
  async: AsyncCounters;
}

/** The local Lambda service: each function runs in its own worker-thread sandboxes, with Lambda's timeout and retry rules. */
export function createRuntime(options: RuntimeOptions): LambdaRuntime {
  const onLog = options.onLog ?? ((name: string, line: string) => process.stdout.write(`[${name}] ${line}\n`));
  const deployed = deploy(options, onLog);
  const stopping = new AbortController();
  let pendingAsync = 0;
  let idleWaiters: Array<() => void> = [];

  const find = (name: string): Deployed | undefined =>
    deployed.get(name) ??
    [...deployed.values()].find(
      ({ spec }) => spec.physicalName === name || spec.arn === name || `${spec.arn}:$LATEST` === name,
    );
  const get = (name: string): Deployed => {
    const fn = find(name);
    if (!fn) throw new Error(`Function not found: ${name}`);
    return fn;
  };
  const asyncDone = () => {
    pendingAsync -= 1;
    if (pendingAsync === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  };

  return {
    async invoke(name, event) {
      const { pool } = get(name);
      const requestId = randomUUID();
      return { ...(await pool.invoke(requestId, event)), requestId };
    },
    invokeAsync(name, event) {
      const fn = get(name);
      pendingAsync += 1;
      fn.async.pending += 1;
      void runAsyncInvocation(fn.spec, fn.pool, event, {
        delaysMs: options.asyncRetryDelaysMs ?? [1000, 2000],
        throttleDelayMs: options.throttleRetryDelayMs ?? defaultThrottleDelayMs,
        signal: stopping.signal,
        sendToDestination: options.sendToDestination,
        log: (line) => onLog(fn.spec.name, line),
      })
        .then((outcome) => {
          if (outcome === 'discarded') fn.async.discarded += 1;
        })
        .finally(() => {
          fn.async.pending -= 1;
          asyncDone();
        });
    },
    idle: () =>
      pendingAsync === 0
        ? Promise.resolve()
        : new Promise((resolve) => {
            idleWaiters.push(resolve);
          }),
    stats: () => [...deployed.values()].map(functionStats),
    describe: (name) => find(name)?.spec,
    reload: (name) => get(name).pool.reload(),
    warm: (name) => get(name).pool.warm(),
    async stop() {
      stopping.abort();
      await Promise.all([...deployed.values()].map(({ pool }) => pool.stop()));
      idleWaiters = idleWaiters.filter((resolve) => {
        resolve();
        return false;
      });
    },
  };
}

function deploy(options: RuntimeOptions, onLog: (name: string, line: string) => void): Map<string, Deployed> {
  const deployed = new Map<string, Deployed>();
  for (const spec of options.functions) {
    const pool = createPool(spec, {
      baseEnvironment: options.baseEnvironment,
      maxConcurrency: options.maxConcurrency ?? 4,
      log: (line) => onLog(spec.name, line),
    });
    deployed.set(spec.name, { spec, pool, async: { pending: 0, discarded: 0 } });
  }
  return deployed;
}

function functionStats({ spec, pool, async }: Deployed): FunctionStats {
  const { counters } = pool;
  return {
    name: spec.name,
    invocations: counters.invocations,
    errors: counters.errors,
    timeouts: counters.timeouts,
    throttles: counters.throttles,
    coldStarts: counters.coldStarts,
    instances: pool.instances(),
    busy: pool.busy(),
    asyncPending: async.pending,
    asyncDiscarded: async.discarded,
    averageDurationMs: counters.invocations ? Math.round(counters.totalDurationMs / counters.invocations) : 0,
  };
}
