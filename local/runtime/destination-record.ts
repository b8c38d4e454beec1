import type { InvocationError } from './types.ts';

export type AsyncFailureCondition = 'RetriesExhausted' | 'EventAgeExceeded';

/**
 * The invocation record Lambda sends to an async invocation's on-failure destination
 * (docs: "Capturing records of Lambda asynchronous invocations").
 */
export function asyncFailureRecord(input: {
  requestId: string;
  functionArn: string;
  condition: AsyncFailureCondition;
  approximateInvokeCount: number;
  event: unknown;
  error: InvocationError;
  now: Date;
}) {
  return {
    version: '1.0',
    timestamp: input.now.toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: `${input.functionArn}:$LATEST`,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    requestPayload: input.event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: input.error,
  };
}

/** Whether an event is too old for another attempt (maximumEventAgeInSeconds, default 6 hours). */
export function eventAgeExceeded(enqueuedAtMs: number, nowMs: number, maximumEventAgeInSeconds = 21_600): boolean {
  return nowMs - enqueuedAtMs > maximumEventAgeInSeconds * 1000;
}

/** The wait before retry number `retry` (1-based); the last delay repeats. */
export function retryDelay(delaysMs: number[], retry: number): number {
  return delaysMs[Math.min(retry - 1, delaysMs.length - 1)] ?? 0;
}
