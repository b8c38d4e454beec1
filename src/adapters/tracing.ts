import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';

/**
 * AWS X-Ray through Powertools Tracer: the one tracer of this function instance. Loading the tracer loads
 * the X-Ray SDK (~130 KB, the largest cost of a cold start after the AWS SDK; see docs/benchmarks.md), so
 * it is loaded only where it traces: on Lambda with active tracing. Off Lambda, and where
 * POWERTOOLS_TRACE_ENABLED=false (the local cloud), it is never loaded and every helper here does nothing.
 */
export function tracingActive(env: NodeJS.ProcessEnv = process.env): boolean {
  // As Powertools Tracer decides it: on Lambda, not under SAM CLI or the Amplify mock, not switched off.
  const onLambda =
    Boolean(env.AWS_EXECUTION_ENV) && env.AWS_EXECUTION_ENV !== 'AWS_Lambda_amplify-mock' && !env.AWS_SAM_LOCAL;
  return onLambda && env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';
}

let loading: Promise<Tracer | undefined> | undefined;
let loaded: Tracer | undefined;

/** The tracer, loaded once (undefined where tracing is not active). */
export function loadTracer(): Promise<Tracer | undefined> {
  loading ??= tracingActive()
    ? import('@aws-lambda-powertools/tracer').then(({ Tracer: PowertoolsTracer }) => (loaded = new PowertoolsTracer()))
    : Promise.resolve(undefined);
  return loading;
}

// Where it traces, the tracer loads during the module's initialisation, as it did when imported statically.
if (tracingActive()) void loadTracer();

/**
 * An SDK v3 client whose calls are recorded as subsegments (service, operation, table, status, retries).
 * Clients are created on first use inside an invocation, after `traceHandler` has awaited the tracer.
 */
export function traced<Client>(client: Client): Client {
  return loaded ? loaded.captureAWSv3Client(client) : client;
}

/**
 * Middy middleware: the X-Ray subsegment of the handler (`## <handler>`, annotated with ColdStart and
 * Service; errors recorded, responses not: they may hold personal data). Waits for the tracer to load.
 */
export function traceHandler(): MiddlewareObj {
  let capture: MiddlewareObj | undefined;
  return {
    before: async (request) => {
      const tracer = await loadTracer();
      if (!tracer) return;
      capture ??= captureLambdaHandler(tracer, { captureResponse: false });
      await capture.before?.(request);
    },
    after: async (request) => {
      await capture?.after?.(request);
    },
    onError: async (request) => {
      await capture?.onError?.(request);
    },
  };
}

/**
 * Runs one step of an invocation (decode, dead-letter, store) in its own subsegment `### <name>`, so a
 * trace shows where a batch's time went; a step that throws marks its subsegment with the error.
 * Concurrent steps are safe: each runs in its own trace context.
 */
export function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const tracer = loaded;
  if (!tracer?.isTracingEnabled()) return work();
  return tracer.provider.captureAsyncFunc(`### ${name}`, async (subsegment) => {
    try {
      return await work();
    } catch (error) {
      subsegment?.addError(error as Error);
      throw error;
    } finally {
      subsegment?.close();
    }
  }) as Promise<T>;
}

/** As `step`, for synchronous work (decoding a batch). */
export function stepSync<T>(name: string, work: () => T): T {
  const tracer = loaded;
  if (!tracer?.isTracingEnabled()) return work();
  return tracer.provider.captureFunc(`### ${name}`, () => work()) as T;
}
