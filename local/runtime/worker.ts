// The sandbox: runs inside a worker thread, loads one handler once (the cold start) and runs one
// invocation at a time, as a Lambda execution environment does.
import { open as openInspector } from 'node:inspector';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { invocationError } from './errors.ts';
import type { InvokeMessage, SandboxData, SandboxMessage } from './protocol.ts';

type Handler = (event: unknown, context: unknown, callback: (error?: unknown, result?: unknown) => void) => unknown;

const data = workerData as SandboxData;
const port = parentPort!;
const post = (message: SandboxMessage) => port.postMessage(message);

function lambdaContext(message: InvokeMessage) {
  return {
    awsRequestId: message.requestId,
    functionName: data.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: data.invokedFunctionArn,
    memoryLimitInMB: data.memoryLimitInMB,
    logGroupName: data.logGroupName,
    logStreamName: data.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
  };
}

/** Async handlers return a promise; callback-style handlers (three parameters) call back instead. */
function run(handler: Handler, event: unknown, context: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const returned = handler(event, context, (error, result) => (error ? reject(error) : resolve(result)));
    if (returned && typeof (returned as Promise<unknown>).then === 'function')
      (returned as Promise<unknown>).then(resolve, reject);
    else if (handler.length < 3) resolve(returned);
  });
}

async function loadHandler(): Promise<Handler | undefined> {
  try {
    const module = (await import(pathToFileURL(data.handlerFile).href)) as Record<string, unknown>;
    const handler = module[data.handlerExport];
    if (typeof handler === 'function') return handler as Handler;
    post({
      type: 'init-error',
      error: {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: `${data.handlerFile}.${data.handlerExport} is undefined or not exported`,
      },
    });
  } catch (error) {
    const { errorMessage, trace } = invocationError(error);
    post({
      type: 'init-error',
      error: { errorType: 'Runtime.ImportModuleError', errorMessage: `Error: ${errorMessage}`, trace },
    });
  }
  return undefined;
}

/**
 * Sends what the function writes through the same port as its results, so its log lines reach the
 * main thread in order and before the invocation's result.
 */
function captureOutput(name: 'stdout' | 'stderr'): void {
  const stream = process[name];
  stream.write = ((
    chunk: string | Uint8Array,
    encoding?: BufferEncoding | ((error?: Error | null) => void),
    callback?: (error?: Error | null) => void,
  ) => {
    const text =
      typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
    post({ type: 'output', stream: name, text });
    (typeof encoding === 'function' ? encoding : callback)?.();
    return true;
  }) as typeof stream.write;
}
captureOutput('stdout');
captureOutput('stderr');

// Like the Lambda runtime: an unhandled rejection or uncaught exception ends the sandbox.
process.on('unhandledRejection', (reason) => {
  post({ type: 'crashed', error: { ...invocationError(reason), errorType: 'Runtime.UnhandledPromiseRejection' } });
  process.exit(1);
});
process.on('uncaughtException', (error) => {
  post({ type: 'crashed', error: invocationError(error) });
  process.exit(1);
});

// Before the handler loads, so breakpoints in its module's top level can bind (Node strips types in
// place, so the TypeScript source's lines are the lines the debugger sees).
if (data.inspectPort) openInspector(data.inspectPort, '127.0.0.1');
const handler = await loadHandler();
if (handler) {
  port.on('message', (message: InvokeMessage) => {
    void (async () => {
      try {
        const result = await run(handler, JSON.parse(message.event), lambdaContext(message));
        post({ type: 'done', requestId: message.requestId, payload: JSON.stringify(result) ?? 'null' });
      } catch (error) {
        post({ type: 'failed', requestId: message.requestId, error: invocationError(error) });
      }
    })();
  });
  post({ type: 'ready' });
}
