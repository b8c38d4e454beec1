import { afterEach, describe, expect, it, vi } from 'vitest';

// The tracer reads its environment when src/adapters/tracing.ts is first loaded: each test loads it afresh.
async function freshTracing(env: Record<string, string>) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  return import('../../../src/adapters/tracing.ts');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

const LAMBDA = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_LAMBDA_FUNCTION_NAME: 'refarch-test-fn' };

describe('tracing (Powertools Tracer over X-Ray)', () => {
  it('is off outside Lambda: steps just run, errors pass through, clients are left as they are', async () => {
    const { loadTracer, step, stepSync, traced } = await freshTracing({ AWS_EXECUTION_ENV: '' });
    expect(await loadTracer()).toBeUndefined();
    expect(await step('store', async () => 42)).toBe(42);
    expect(stepSync('decode', () => 'decoded')).toBe('decoded');
    await expect(
      step('store', async () => {
        throw new Error('write failed');
      }),
    ).rejects.toThrow('write failed');
    const client = { send: () => 'sent', middlewareStack: { add: vi.fn() } };
    expect(traced(client)).toBe(client);
    expect(client.middlewareStack.add).not.toHaveBeenCalled();
  });

  it('is off in a Lambda-like sandbox given POWERTOOLS_TRACE_ENABLED=false, as the local cloud gives it', async () => {
    const { loadTracer, tracingActive } = await freshTracing({ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'false' });
    expect(tracingActive()).toBe(false);
    expect(await loadTracer()).toBeUndefined();
  });

  it('is active only as Powertools decides it: on Lambda, not under SAM CLI or the Amplify mock', async () => {
    const { tracingActive } = await freshTracing({});
    expect(tracingActive({ ...LAMBDA })).toBe(true);
    expect(tracingActive({ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'FALSE' })).toBe(false);
    expect(tracingActive({ ...LAMBDA, AWS_SAM_LOCAL: 'true' })).toBe(false);
    expect(tracingActive({ ...LAMBDA, AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' })).toBe(false);
    expect(tracingActive({ AWS_LAMBDA_FUNCTION_NAME: 'refarch-test-fn' })).toBe(false);
  });

  it('on Lambda captures the SDK clients it is given, once the tracer has loaded', async () => {
    const { loadTracer, traced } = await freshTracing({
      ...LAMBDA,
      POWERTOOLS_TRACE_ENABLED: 'true',
      POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
    });
    await loadTracer();
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const client = traced(new DynamoDBClient({ region: 'us-east-1' }));
    expect(client.middlewareStack.identify().some((name) => name.startsWith('XRaySDK'))).toBe(true);
  });

  it('on Lambda records each step as a subsegment of the current segment, with the error of a failed one', async () => {
    // No global patching of http(s) in this test process.
    const { loadTracer, step, stepSync } = await freshTracing({
      ...LAMBDA,
      POWERTOOLS_TRACE_ENABLED: 'true',
      POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
    });
    const tracer = (await loadTracer())!;
    expect(tracer.isTracingEnabled()).toBe(true);
    const { Segment } = (await import('aws-xray-sdk-core')).default;
    const segment = new Segment('handler');
    await tracer.provider.getNamespace().runPromise(async () => {
      tracer.setSegment(segment);
      expect(stepSync('decode', () => 1)).toBe(1);
      expect(await step('dead-letter', async () => 2)).toBe(2);
      await expect(
        step('store', async () => {
          throw new Error('write failed');
        }),
      ).rejects.toThrow('write failed');
    });
    const subsegments = (segment.subsegments ?? []) as unknown as Array<{
      name: string;
      in_progress?: boolean;
      fault?: boolean;
      error?: boolean;
      cause?: unknown;
    }>;
    expect(subsegments.map((s) => s.name)).toEqual(['### decode', '### dead-letter', '### store']);
    expect(subsegments.every((s) => !s.in_progress)).toBe(true);
    expect(subsegments[2]!.cause).toBeDefined();
  });
});
