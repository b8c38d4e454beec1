import type { InvocationError } from './types.ts';

/** What a sandbox (worker thread) is started with. */
export interface SandboxData {
  handlerFile: string;
  handlerExport: string;
  functionName: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /** Opens a debugger (node:inspector) on this loopback port before the handler loads. */
  inspectPort?: number;
}

/** Main thread -> sandbox. The event travels as JSON text, as it does to Lambda. */
export interface InvokeMessage {
  type: 'invoke';
  requestId: string;
  event: string;
  deadlineMs: number;
}

/** Sandbox -> main thread. */
export type SandboxMessage =
  | { type: 'ready' }
  /** Text the function wrote to stdout or stderr (console, Powertools, EMF metrics). */
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'init-error'; error: InvocationError }
  | { type: 'done'; requestId: string; payload: string }
  | { type: 'failed'; requestId: string; error: InvocationError }
  /** The sandbox cannot go on (unhandled rejection, uncaught exception); it exits after this. */
  | { type: 'crashed'; error: InvocationError };
