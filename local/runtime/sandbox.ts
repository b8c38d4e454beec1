import { Worker } from 'node:worker_threads';
import { invocationError, timeoutError } from './errors.ts';
import { lineSplitter } from './lines.ts';
import type { SandboxData, SandboxMessage } from './protocol.ts';
import type { InvocationError } from './types.ts';

export type SandboxOutcome = { ok: true; payload: unknown } | { ok: false; error: InvocationError; timedOut: boolean };

/** One execution environment: a worker thread with its own process.env, running one invocation at a time. */
export interface Sandbox {
  /** Settles when the handler is loaded: undefined, or the init error. */
  readonly ready: Promise<InvocationError | undefined>;
  alive(): boolean;
  invoke(requestId: string, eventJson: string, timeoutSeconds: number): Promise<SandboxOutcome>;
  terminate(): Promise<void>;
}

interface Pending {
  requestId: string;
  resolve: (outcome: SandboxOutcome) => void;
  timer: NodeJS.Timeout;
}

const WORKER_FILE = new URL('./worker.ts', import.meta.url);

export function startSandbox(options: {
  data: SandboxData;
  env: Record<string, string>;
  memoryMb: number;
  onLine: (line: string) => void;
}): Sandbox {
  const worker = new Worker(WORKER_FILE, {
    workerData: options.data,
    env: options.env,
    // The function's memory setting bounds its heap, so running out of memory fails as on Lambda.
    resourceLimits: { maxOldGenerationSizeMb: Math.max(options.memoryMb, 64) },
  });
  const output = { stdout: lineSplitter(options.onLine), stderr: lineSplitter(options.onLine) };
  let alive = true;
  let pending: Pending | undefined;
  let settleReady: (error: InvocationError | undefined) => void = () => {};
  const ready = new Promise<InvocationError | undefined>((resolve) => {
    settleReady = resolve;
  });

  const finish = (outcome: SandboxOutcome) => {
    if (!pending) return;
    clearTimeout(pending.timer);
    const { resolve } = pending;
    pending = undefined;
    if (alive) worker.unref();
    resolve(outcome);
  };
  const die = (error: InvocationError) => {
    alive = false;
    settleReady(error);
    finish({ ok: false, error, timedOut: false });
  };

  // Referenced while loading or invoking (a script awaiting an invocation must not exit), not while idle.
  void ready.then(() => {
    if (!pending) worker.unref();
  });
  listen(worker, options, {
    output,
    settleReady: (error) => settleReady(error),
    die,
    answer: (requestId, outcome) => {
      if (pending?.requestId === requestId) finish(outcome);
    },
  });

  return {
    ready,
    alive: () => alive,
    invoke(requestId, eventJson, timeoutSeconds) {
      if (!alive || pending) return Promise.reject(new Error('sandbox is not available'));
      return new Promise<SandboxOutcome>((resolve) => {
        const timer = setTimeout(() => {
          alive = false;
          void worker.terminate();
          finish({ ok: false, error: timeoutError(timeoutSeconds), timedOut: true });
        }, timeoutSeconds * 1000);
        pending = { requestId, resolve, timer };
        worker.ref();
        worker.postMessage({
          type: 'invoke',
          requestId,
          event: eventJson,
          deadlineMs: Date.now() + timeoutSeconds * 1000,
        });
      });
    },
    async terminate() {
      alive = false;
      await worker.terminate();
    },
  };
}

interface SandboxEvents {
  output: Record<'stdout' | 'stderr', ReturnType<typeof lineSplitter>>;
  settleReady: (error: InvocationError | undefined) => void;
  die: (error: InvocationError) => void;
  answer: (requestId: string, outcome: SandboxOutcome) => void;
}

/** What the worker says (output, ready, answers) and how it ends (crash, out of memory, exit). */
function listen(worker: Worker, options: { memoryMb: number }, on: SandboxEvents): void {
  worker.on('message', (message: SandboxMessage) => {
    if (message.type === 'output') on.output[message.stream].push(message.text);
    else if (message.type === 'ready') on.settleReady(undefined);
    else if (message.type === 'init-error' || message.type === 'crashed') on.die(message.error);
    else
      on.answer(
        message.requestId,
        message.type === 'done'
          ? { ok: true, payload: JSON.parse(message.payload) }
          : { ok: false, error: message.error, timedOut: false },
      );
  });
  worker.on('error', (error: Error & { code?: string }) => {
    on.die(
      error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? {
            errorType: 'Runtime.OutOfMemory',
            errorMessage: `Runtime exited with error: out of memory (${options.memoryMb} MB)`,
          }
        : invocationError(error),
    );
  });
  worker.on('exit', (code) => {
    on.output.stdout.flush();
    on.output.stderr.flush();
    on.die({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${code}` });
  });
}
