import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { asyncFailureRecord, eventAgeExceeded, retryDelay, type AsyncFailureCondition } from './destination-record.ts';
import type { FunctionPool, PoolOutcome } from './pool.ts';
import type { FunctionSpec, InvocationError } from './types.ts';

export interface AsyncCounters {
  pending: number;
  discarded: number;
}

/**
 * Event invocations: 1 + maximumRetryAttempts attempts (default 2 retries) with the same request id,
 * waiting between attempts, giving up early when the event is older than maximumEventAgeInSeconds;
 * then the invocation record goes to the on-failure destination, if there is one. A throttled attempt
 * (over the reserved concurrency) is no attempt: the event waits and is offered again, with backoff,
 * until it runs or grows older than maximumEventAgeInSeconds (default 6 hours), as on Lambda.
 */
export async function runAsyncInvocation(
  spec: FunctionSpec,
  pool: FunctionPool,
  event: unknown,
  deps: {
    delaysMs: number[];
    throttleDelayMs: (attempt: number) => number;
    signal: AbortSignal;
    sendToDestination: (arn: string, message: unknown) => Promise<void>;
    log: (line: string) => void;
  },
): Promise<'succeeded' | 'discarded'> {
  const requestId = randomUUID();
  const enqueuedAt = Date.now();
  const maxRetries = spec.async?.maximumRetryAttempts ?? 2;
  let lastError: InvocationError = { errorType: 'Runtime.Unknown', errorMessage: 'not invoked' };
  let attempts = 0;
  let condition: AsyncFailureCondition = 'RetriesExhausted';
  while (attempts <= maxRetries && !deps.signal.aborted) {
    if (attempts > 0) {
      await sleep(retryDelay(deps.delaysMs, attempts), undefined, { signal: deps.signal }).catch(() => undefined);
      if (deps.signal.aborted) break;
      if (eventAgeExceeded(enqueuedAt, Date.now(), spec.async?.maximumEventAgeInSeconds)) {
        condition = 'EventAgeExceeded';
        break;
      }
    }
    const result = await invokeWhenNotThrottled();
    if (result === 'expired') {
      condition = 'EventAgeExceeded';
      break;
    }
    attempts += 1;
    if (result.ok) return 'succeeded';
    lastError = result.error;
  }
  const destination = spec.async?.onFailureArn;
  if (destination && !deps.signal.aborted) {
    const record = asyncFailureRecord({
      requestId,
      functionArn: spec.arn,
      condition,
      approximateInvokeCount: attempts,
      event,
      error: lastError,
      now: new Date(),
    });
    await deps.sendToDestination(destination, record).catch((error: Error) => {
      deps.log(`could not deliver the failed event ${requestId} to ${destination}: ${error.message}`);
    });
  }
  return 'discarded';

  async function invokeWhenNotThrottled(): Promise<PoolOutcome | 'expired'> {
    for (let throttled = 1; ; throttled += 1) {
      const result = await pool.invoke(requestId, event);
      if (result.ok || !('throttled' in result) || deps.signal.aborted) return result;
      lastError = result.error;
      await sleep(deps.throttleDelayMs(throttled), undefined, { signal: deps.signal }).catch(() => undefined);
      if (eventAgeExceeded(enqueuedAt, Date.now(), spec.async?.maximumEventAgeInSeconds)) return 'expired';
    }
  }
}

/** Lambda backs a throttled event off from 1 s up to 5 minutes; locally 200 ms doubling up to 5 s. */
export const defaultThrottleDelayMs = (attempt: number): number => Math.min(5000, 200 * 2 ** (attempt - 1));
