import type { InvocationError } from './types.ts';

/** The error a Lambda Node.js runtime reports for what a handler threw (errorType is the error's name). */
export function invocationError(thrown: unknown): InvocationError {
  if (thrown instanceof Error) {
    return {
      errorType: thrown.name || thrown.constructor?.name || 'Error',
      errorMessage: thrown.message,
      trace: (thrown.stack ?? '').split('\n').filter((line) => line.length > 0),
    };
  }
  if (typeof thrown === 'object' && thrown !== null) {
    const { errorType, errorMessage, name, message } = thrown as Record<string, unknown>;
    return {
      errorType: String(errorType ?? name ?? 'Error'),
      errorMessage: String(errorMessage ?? message ?? JSON.stringify(thrown)),
    };
  }
  return { errorType: typeof thrown, errorMessage: String(thrown) };
}

/**
 * What Lambda answers an invoke over the function's reserved concurrency (HTTP 429, Reason
 * ReservedFunctionConcurrentInvocationLimitExceeded): the function does not run.
 */
export function throttledError(reservedConcurrency: number): InvocationError {
  return {
    errorType: 'TooManyRequestsException',
    errorMessage: `Rate Exceeded. (ReservedFunctionConcurrentInvocationLimitExceeded: reserved concurrency ${reservedConcurrency})`,
  };
}

/** What Lambda reports when an invocation runs over the function's timeout. */
export function timeoutError(timeoutSeconds: number): InvocationError {
  return { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${timeoutSeconds.toFixed(2)} seconds` };
}
