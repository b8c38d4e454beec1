import { randomBytes } from 'node:crypto';
import { logGroupName, newLogStreamName, sandboxEnvironment } from './environment.ts';
import { startSandbox, type Sandbox, type SandboxOutcome } from './sandbox.ts';
import { throttledError } from './errors.ts';
import type { FunctionSpec, InvocationError } from './types.ts';

export interface PoolCounters {
  invocations: number;
  errors: number;
  timeouts: number;
  throttles: number;
  coldStarts: number;
  totalDurationMs: number;
}

export type PoolOutcome =
  | (SandboxOutcome & { durationMs: number })
  | { ok: false; error: InvocationError; timedOut: false; throttled: true; durationMs: 0 };

export interface FunctionPool {
  invoke(requestId: string, event: unknown): Promise<PoolOutcome>;
  counters: PoolCounters;
  instances(): number;
  busy(): number;
  /** Retires every sandbox: idle ones now, busy ones after their invocation; the next invocation loads the code anew. */
  reload(): void;
  /** Starts a sandbox now if none is idle (a debugger can attach before the first invocation). */
  warm(): void;
  stop(): Promise<void>;
}

/**
 * The sandboxes of one function: created on demand (a cold start), reused while warm, replaced when
 * one dies (timeout, crash). At most `maxConcurrency` run at once; further invocations wait their turn.
 * With a reserved concurrency, invocations beyond it (running or waiting) are throttled at once, as on
 * Lambda: they fail with TooManyRequestsException and the function does not run.
 */
export function createPool(spec: FunctionSpec, options: PoolOptions): FunctionPool {
  const reserved = spec.reservedConcurrency;
  // One sandbox while debugging: one debugger port.
  const maxConcurrency = spec.inspectPort
    ? 1
    : Math.max(1, Math.min(options.maxConcurrency, reserved ?? Number.POSITIVE_INFINITY));
  const counters: PoolCounters = {
    invocations: 0,
    errors: 0,
    timeouts: 0,
    throttles: 0,
    coldStarts: 0,
    totalDurationMs: 0,
  };
  const sandboxes = sandboxSet(spec, options, maxConcurrency, counters);
  let busy = 0;
  let inFlight = 0; // accepted invocations, running or waiting for a sandbox

  const invokeAccepted = async (
    requestId: string,
    event: unknown,
  ): Promise<SandboxOutcome & { durationMs: number }> => {
    const sandbox = await sandboxes.acquire();
    if (!sandbox) return { ok: false, error: stoppedError(), timedOut: false, durationMs: 0 };
    busy += 1;
    try {
      const result = await run(spec, sandbox, requestId, event);
      record(counters, result);
      logFailure(options.log, requestId, result);
      return result;
    } finally {
      busy -= 1;
      sandboxes.release(sandbox);
    }
  };

  return {
    counters,
    instances: sandboxes.size,
    busy: () => busy,
    async invoke(requestId, event) {
      if (reserved !== undefined && inFlight >= reserved) {
        counters.throttles += 1;
        return { ok: false, error: throttledError(reserved), timedOut: false, throttled: true, durationMs: 0 };
      }
      inFlight += 1;
      try {
        return await invokeAccepted(requestId, event);
      } finally {
        inFlight -= 1;
      }
    },
    warm: () => {
      if (reserved !== 0) sandboxes.warm();
    },
    reload: sandboxes.reload,
    stop: sandboxes.stop,
  };
}

interface PoolOptions {
  baseEnvironment: Record<string, string>;
  maxConcurrency: number;
  log: (line: string) => void;
}

/** Which sandboxes exist, which are idle, which are retired (reloaded code), and who waits for one. */
function sandboxSet(spec: FunctionSpec, options: PoolOptions, maxConcurrency: number, counters: PoolCounters) {
  const all = new Set<Sandbox>();
  const retired = new Set<Sandbox>();
  const idle: Sandbox[] = [];
  const waiting: Array<(sandbox: Sandbox | undefined) => void> = [];
  let stopped = false;

  const coldStart = (): Sandbox => {
    counters.coldStarts += 1;
    const sandbox = startFunctionSandbox(spec, options);
    all.add(sandbox);
    return sandbox;
  };
  const discard = (sandbox: Sandbox) => {
    all.delete(sandbox);
    void sandbox.terminate();
  };

  return {
    size: () => all.size,
    acquire(): Promise<Sandbox | undefined> {
      if (stopped) return Promise.resolve(undefined);
      for (let warm = idle.pop(); warm; warm = idle.pop()) {
        if (warm.alive()) return Promise.resolve(warm);
        all.delete(warm); // died while idle, e.g. a late unhandled rejection
      }
      if (all.size < maxConcurrency) return Promise.resolve(coldStart());
      return new Promise((resolve) => waiting.push(resolve));
    },
    release(sandbox: Sandbox): void {
      const replace = !sandbox.alive() || stopped || retired.delete(sandbox);
      if (replace) discard(sandbox);
      const next = waiting.shift();
      if (next) next(!replace ? sandbox : stopped ? undefined : coldStart());
      else if (!replace) idle.push(sandbox);
    },
    warm(): void {
      if (!stopped && idle.length === 0 && all.size < maxConcurrency) idle.push(coldStart());
    },
    reload(): void {
      idle.splice(0).forEach(discard);
      for (const sandbox of all) retired.add(sandbox);
    },
    async stop(): Promise<void> {
      stopped = true;
      for (const resolve of waiting.splice(0)) resolve(undefined);
      idle.length = 0;
      await Promise.all([...all].map((sandbox) => sandbox.terminate()));
      all.clear();
    },
  };
}

function startFunctionSandbox(spec: FunctionSpec, options: PoolOptions): Sandbox {
  const logStreamName = newLogStreamName(new Date(), randomBytes(16).toString('hex'));
  return startSandbox({
    data: {
      handlerFile: spec.handlerFile,
      handlerExport: spec.handlerExport,
      functionName: spec.physicalName,
      invokedFunctionArn: spec.arn,
      memoryLimitInMB: String(spec.memoryMb),
      logGroupName: logGroupName(spec),
      logStreamName,
      ...(spec.inspectPort ? { inspectPort: spec.inspectPort } : {}),
    },
    env: sandboxEnvironment(spec, options.baseEnvironment, logStreamName),
    memoryMb: spec.memoryMb,
    onLine: options.log,
  });
}

async function run(
  spec: FunctionSpec,
  sandbox: Sandbox,
  requestId: string,
  event: unknown,
): Promise<SandboxOutcome & { durationMs: number }> {
  const initError = await sandbox.ready;
  if (initError) return { ok: false, error: initError, timedOut: false, durationMs: 0 };
  const started = performance.now();
  const timeoutSeconds = spec.inspectPort ? DEBUG_TIMEOUT_SECONDS : spec.timeoutSeconds;
  const outcome = await sandbox.invoke(requestId, JSON.stringify(event) ?? 'null', timeoutSeconds);
  return { ...outcome, durationMs: Math.round(performance.now() - started) };
}

/** Lambda's log lines for a timed-out or failed invocation. */
function logFailure(log: (line: string) => void, requestId: string, result: SandboxOutcome): void {
  if (!result.ok && result.timedOut) log(`${new Date().toISOString()} ${requestId} ${result.error.errorMessage}`);
  else if (!result.ok)
    log(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(result.error)}`);
}

function record(counters: PoolCounters, result: SandboxOutcome & { durationMs: number }): void {
  counters.invocations += 1;
  counters.totalDurationMs += result.durationMs;
  if (!result.ok) counters.errors += 1;
  if (!result.ok && result.timedOut) counters.timeouts += 1;
}

/** While a debugger may hold an invocation at a breakpoint, its timeout is an hour rather than the function's. */
const DEBUG_TIMEOUT_SECONDS = 3600;

const stoppedError = (): InvocationError => ({
  errorType: 'Runtime.Stopped',
  errorMessage: 'The local Lambda runtime is stopping',
});
