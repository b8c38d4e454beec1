import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * AWS X-Ray through Powertools Tracer: the one tracer of this function instance. It traces only on
 * Lambda with active tracing (service name from POWERTOOLS_SERVICE_NAME); off Lambda, and where
 * POWERTOOLS_TRACE_ENABLED=false (the local cloud), every helper here does nothing and sends nothing.
 */
export const tracer = new Tracer();

/** An SDK v3 client whose calls are recorded as subsegments (service, operation, table, status, retries). */
export function traced<Client>(client: Client): Client {
  return tracer.captureAWSv3Client(client);
}

/**
 * Runs one step of an invocation (decode, dead-letter, store) in its own subsegment `### <name>`, so a
 * trace shows where a batch's time went; a step that throws marks its subsegment with the error.
 * Concurrent steps are safe: each runs in its own trace context.
 */
export function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!tracer.isTracingEnabled()) return work();
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
  if (!tracer.isTracingEnabled()) return work();
  return tracer.provider.captureFunc(`### ${name}`, () => work()) as T;
}
