import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, type FunctionSpec, type LambdaRuntime } from './index.ts';

// The runtime runs real handlers in worker threads; no services needed, so this is in the unit tier.
const fixtures = resolve(import.meta.dirname, '../../test/fixtures/semantics');

function fn(name: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  const physicalName = `refarch-test-${name}`;
  return {
    name,
    physicalName,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${physicalName}`,
    handlerFile: join(fixtures, 'runtime-probe.ts'),
    handlerExport: 'handler',
    environment: {},
    timeoutSeconds: 5,
    memoryMb: 256,
    ...overrides,
  };
}

let runtime: LambdaRuntime | undefined;
const destinations: Array<{ arn: string; message: unknown }> = [];
const logs: Array<{ name: string; line: string }> = [];

function start(
  functions: FunctionSpec[],
  options: { maxConcurrency?: number; throttleRetryDelayMs?: (attempt: number) => number } = {},
): LambdaRuntime {
  destinations.length = 0;
  logs.length = 0;
  runtime = createRuntime({
    functions,
    baseEnvironment: { AWS_REGION: 'us-east-1', SHARED: 'base', OVERRIDDEN: 'base' },
    sendToDestination: async (arn, message) => {
      destinations.push({ arn, message });
    },
    asyncRetryDelaysMs: [10, 20],
    onLog: (name, line) => logs.push({ name, line }),
    ...options,
  });
  return runtime;
}

afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
});

type Described = {
  invocationsInThisSandbox: number;
  remainingMs: number;
  context: Record<string, unknown>;
  env: Record<string, string>;
};

describe('local Lambda runtime', () => {
  it('gives each function its own environment and a Lambda context', async () => {
    const rt = start([
      fn('first', { environment: { OWN: 'one', OVERRIDDEN: 'function' }, memoryMb: 256, timeoutSeconds: 5 }),
      fn('second', { environment: { OWN: 'two' } }),
    ]);
    const [first, second] = await Promise.all([
      rt.invoke('first', { action: 'describe' }),
      rt.invoke('second', { action: 'describe' }),
    ]);
    if (!first.ok || !second.ok) throw new Error('invocation failed');
    const a = first.payload as Described;
    const b = second.payload as Described;
    expect(a.env).toMatchObject({
      OWN: 'one',
      SHARED: 'base',
      OVERRIDDEN: 'function',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'refarch-test-first',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/refarch-test-first',
    });
    expect(b.env.OWN).toBe('two');
    expect(b.env.OVERRIDDEN).toBe('base');
    expect(a.context).toMatchObject({
      awsRequestId: first.requestId,
      functionName: 'refarch-test-first',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:refarch-test-first',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/refarch-test-first',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(a.context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(a.context.logStreamName).toBe(a.env.AWS_LAMBDA_LOG_STREAM_NAME);
    expect(a.remainingMs).toBeGreaterThan(0);
    expect(a.remainingMs).toBeLessThanOrEqual(5000);
  });

  it('keeps a sandbox warm between invocations', async () => {
    const rt = start([fn('probe')]);
    await rt.invoke('probe', { action: 'describe' });
    const second = await rt.invoke('probe', { action: 'describe' });
    expect(second).toMatchObject({ ok: true, payload: { invocationsInThisSandbox: 2 } });
    expect(rt.stats()[0]).toMatchObject({ name: 'probe', invocations: 2, coldStarts: 1, errors: 0 });
  });

  it('reports what a handler throws with its type, message and stack', async () => {
    const rt = start([fn('probe')]);
    const result = await rt.invoke('probe', { action: 'throw', message: 'no way' });
    expect(result).toMatchObject({
      ok: false,
      timedOut: false,
      error: { errorType: 'ProbeError', errorMessage: 'no way' },
    });
    if (result.ok) return;
    expect(result.error.trace?.[0]).toBe('ProbeError: no way');
    expect(rt.stats()[0]).toMatchObject({ invocations: 1, errors: 1, timeouts: 0 });
  });

  it('fails an invocation that runs over the timeout and replaces the sandbox', async () => {
    const rt = start([fn('probe', { timeoutSeconds: 1 })]);
    const result = await rt.invoke('probe', { action: 'sleep', ms: 10_000 });
    expect(result).toMatchObject({
      ok: false,
      timedOut: true,
      error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' },
    });
    const next = await rt.invoke('probe', { action: 'describe' });
    expect(next).toMatchObject({ ok: true, payload: { invocationsInThisSandbox: 1 } });
    expect(rt.stats()[0]).toMatchObject({ invocations: 2, errors: 1, timeouts: 1, coldStarts: 2 });
    expect(logs.some(({ line }) => line.includes(`${result.requestId} Task timed out after 1.00 seconds`))).toBe(true);
  });

  it('runs callback-style handlers', async () => {
    const rt = start([fn('callback', { handlerFile: join(fixtures, 'callback-handler.ts') })]);
    expect(await rt.invoke('callback', { name: 'there' })).toMatchObject({
      ok: true,
      payload: { greeting: 'hello there' },
    });
  });

  it('reports a handler that cannot be loaded, or is not exported', async () => {
    const rt = start([
      fn('broken', { handlerFile: join(fixtures, 'broken-import.ts') }),
      fn('missing', { handlerExport: 'nothingHere' }),
    ]);
    expect(await rt.invoke('broken', {})).toMatchObject({
      ok: false,
      error: { errorType: 'Runtime.ImportModuleError', errorMessage: 'Error: broken at import time' },
    });
    expect(await rt.invoke('missing', {})).toMatchObject({
      ok: false,
      error: { errorType: 'Runtime.HandlerNotFound' },
    });
  });

  it('ends a sandbox on an unhandled rejection, and the next invocation gets a fresh one', async () => {
    const rt = start([fn('probe')]);
    expect(await rt.invoke('probe', { action: 'reject-in-background' })).toMatchObject({
      ok: false,
      error: { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'nobody handles this' },
    });
    expect(await rt.invoke('probe', { action: 'describe' })).toMatchObject({
      ok: true,
      payload: { invocationsInThisSandbox: 1 },
    });
  });

  it('fails an invocation that runs out of the function memory, and replaces the sandbox', async () => {
    const rt = start([fn('probe', { memoryMb: 128 })]);
    expect(await rt.invoke('probe', { action: 'exhaust-memory' })).toMatchObject({
      ok: false,
      error: { errorType: 'Runtime.OutOfMemory' },
    });
    expect(await rt.invoke('probe', { action: 'describe' })).toMatchObject({
      ok: true,
      payload: { invocationsInThisSandbox: 1 },
    });
  });

  it('passes the function output through line by line, with the function name', async () => {
    const rt = start([fn('probe')]);
    const structured = JSON.stringify({ level: 'INFO', message: 'vote counted', service: 'refarch' });
    await rt.invoke('probe', { action: 'log', lines: ['plain line', structured] });
    // The lines travel with the result, so they are all there once the invocation returns.
    expect(logs.filter(({ name }) => name === 'probe').map(({ line }) => line)).toEqual(['plain line', structured]);
  });

  it('runs at most maxConcurrency sandboxes of a function; further invocations wait', async () => {
    const rt = start([fn('probe')], { maxConcurrency: 2 });
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => rt.invoke('probe', { action: 'sleep', ms: 100 })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(rt.stats()[0]).toMatchObject({ invocations: 5, coldStarts: 2, instances: 2 });
  });

  it('rejects an invocation of an unknown function, and finds functions by physical name and ARN', async () => {
    const rt = start([fn('probe')]);
    await expect(rt.invoke('nope', {})).rejects.toThrow('Function not found: nope');
    expect(await rt.invoke('refarch-test-probe', { action: 'sleep', ms: 1 })).toMatchObject({ ok: true });
    expect(rt.describe('arn:aws:lambda:us-east-1:000000000000:function:refarch-test-probe')?.name).toBe('probe');
  });
});

describe('async invocations', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'runtime-async-'));

  it('retries a failing event, then sends the invocation record to the on-failure destination', async () => {
    const folder = dir();
    const probeLog = join(folder, 'attempts.jsonl');
    const rt = start([
      fn('target', {
        environment: { PROBE_LOG: probeLog },
        async: { maximumRetryAttempts: 1, onFailureArn: 'arn:aws:sqs:us-east-1:000000000000:failures' },
      }),
    ]);
    const event = { action: 'record-and-throw', order: 42 };
    rt.invokeAsync('target', event);
    await rt.idle();
    const attempts = readFileSync(probeLog, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { requestId: string });
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.requestId).toBe(attempts[0]!.requestId);
    expect(destinations).toHaveLength(1);
    expect(destinations[0]).toEqual({
      arn: 'arn:aws:sqs:us-east-1:000000000000:failures',
      message: {
        version: '1.0',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        requestContext: {
          requestId: attempts[0]!.requestId,
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:refarch-test-target:$LATEST',
          condition: 'RetriesExhausted',
          approximateInvokeCount: 2,
        },
        requestPayload: event,
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: { errorType: 'Error', errorMessage: 'async target fails', trace: expect.any(Array) },
      },
    });
    expect(rt.stats()[0]).toMatchObject({ invocations: 2, errors: 2, asyncPending: 0, asyncDiscarded: 1 });
    rmSync(folder, { recursive: true, force: true });
  });

  it('retries twice by default, and sends nothing when an event succeeds', async () => {
    const folder = dir();
    const rt = start([fn('target', { environment: { PROBE_LOG: join(folder, 'attempts.jsonl') } }), fn('fine')]);
    rt.invokeAsync('target', { action: 'record-and-throw' });
    rt.invokeAsync('fine', { action: 'describe' });
    await rt.idle();
    expect(readFileSync(join(folder, 'attempts.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(destinations).toEqual([]); // no on-failure destination configured; the success sends nothing either
    rmSync(folder, { recursive: true, force: true });
  });

  it('gives an event up when it is older than maximumEventAgeInSeconds', async () => {
    const folder = dir();
    const rt = start([
      fn('target', {
        environment: { PROBE_LOG: join(folder, 'attempts.jsonl') },
        async: {
          maximumRetryAttempts: 2,
          maximumEventAgeInSeconds: 0,
          onFailureArn: 'arn:aws:sns:us-east-1:000000000000:failures',
        },
      }),
    ]);
    rt.invokeAsync('target', { action: 'record-and-throw' });
    await rt.idle();
    expect(destinations[0]?.message).toMatchObject({
      requestContext: { condition: 'EventAgeExceeded', approximateInvokeCount: 1 },
    });
    rmSync(folder, { recursive: true, force: true });
  });
});

describe('reserved concurrency (ReservedConcurrentExecutions)', () => {
  const dlq = 'arn:aws:sqs:us-east-1:000000000000:failures';

  it('throttles a synchronous invoke over the reservation at once, without running it; the next one after runs', async () => {
    const rt = start([fn('reserved', { reservedConcurrency: 1 })]);
    const slow = rt.invoke('reserved', { action: 'sleep', ms: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const throttled = await rt.invoke('reserved', { action: 'describe' });
    expect(throttled).toMatchObject({
      ok: false,
      throttled: true,
      timedOut: false,
      error: { errorType: 'TooManyRequestsException' },
    });
    expect(rt.stats()[0]).toMatchObject({ busy: 1 }); // the first invocation was still running: nothing waited
    expect(await slow).toMatchObject({ ok: true });
    expect(await rt.invoke('reserved', { action: 'describe' })).toMatchObject({ ok: true });
    expect(rt.stats()[0]).toMatchObject({ invocations: 2, errors: 0, throttles: 1, coldStarts: 1 });
  });

  it("counts invocations waiting for one of the laptop's sandboxes as running: only those beyond the reservation are throttled", async () => {
    const rt = start([fn('reserved', { reservedConcurrency: 3 })], { maxConcurrency: 2 });
    const results = await Promise.all([1, 2, 3, 4].map(() => rt.invoke('reserved', { action: 'sleep', ms: 200 })));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.throttled)).toHaveLength(1);
    expect(rt.stats()[0]).toMatchObject({ invocations: 3, throttles: 1 });
    expect(rt.stats()[0]!.coldStarts).toBeLessThanOrEqual(2);
  });

  it('stops a function with a reservation of 0: every invoke is throttled and no sandbox starts', async () => {
    const rt = start([fn('stopped', { reservedConcurrency: 0 })]);
    rt.warm('stopped');
    expect(await rt.invoke('stopped', { action: 'describe' })).toMatchObject({
      ok: false,
      throttled: true,
      error: { errorType: 'TooManyRequestsException' },
    });
    expect(rt.stats()[0]).toMatchObject({ invocations: 0, throttles: 1, coldStarts: 0, instances: 0 });
  });

  it('keeps a throttled async event and runs it once there is room, without spending a retry on the throttle', async () => {
    const rt = start([
      fn('reserved', { reservedConcurrency: 1, async: { maximumRetryAttempts: 0, onFailureArn: dlq } }),
    ]);
    const slow = rt.invoke('reserved', { action: 'sleep', ms: 500 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    rt.invokeAsync('reserved', { action: 'describe' });
    await slow;
    await rt.idle();
    expect(destinations).toEqual([]);
    expect(rt.stats()[0]).toMatchObject({ invocations: 2, errors: 0, asyncDiscarded: 0, asyncPending: 0 });
    expect(rt.stats()[0]!.throttles).toBeGreaterThanOrEqual(1);
  });

  it('gives a throttled async event up only when it grows older than maximumEventAgeInSeconds', async () => {
    const rt = start(
      [
        fn('stopped', {
          reservedConcurrency: 0,
          async: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 1, onFailureArn: dlq },
        }),
      ],
      {
        throttleRetryDelayMs: () => 100,
      },
    );
    rt.invokeAsync('stopped', { action: 'describe' });
    await rt.idle();
    expect(destinations).toHaveLength(1);
    expect(destinations[0]!.message).toMatchObject({
      requestContext: { condition: 'EventAgeExceeded', approximateInvokeCount: 0 },
      responsePayload: { errorType: 'TooManyRequestsException' },
    });
    expect(rt.stats()[0]!.throttles).toBeGreaterThan(5);
  });
});
