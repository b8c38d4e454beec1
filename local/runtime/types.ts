/** One Lambda function as the local runtime runs it (the shape of local/cloud/model.ts FunctionModel). */
export interface FunctionSpec {
  name: string; // serverless function key, e.g. "aggregateVotes"
  physicalName: string; // e.g. "refarch-dev-aggregateVotes"
  arn: string; // arn:aws:lambda:us-east-1:000000000000:function:refarch-dev-aggregateVotes
  handlerFile: string; // absolute path of the .ts source file
  handlerExport: string; // e.g. "handler"
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  /** The execution role, when known; event records that carry it (Kinesis invokeIdentityArn) use it. */
  roleArn?: string;
  async?: { maximumRetryAttempts: number; maximumEventAgeInSeconds?: number; onFailureArn?: string };
  /**
   * ReservedConcurrentExecutions: at most this many invocations at once; one more is throttled, as on
   * Lambda (0 stops the function). Absent: unreserved (locally, further invocations wait for a sandbox).
   */
  reservedConcurrency?: number;
  /**
   * `npm start -- --inspect <function>`: its one sandbox opens a debugger on this loopback port, and its
   * invocations may run an hour (a breakpoint would otherwise time them out).
   */
  inspectPort?: number;
}

export interface InvocationError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type InvocationResult =
  | { ok: true; payload: unknown; durationMs: number; requestId: string }
  | { ok: false; error: InvocationError; timedOut: boolean; durationMs: number; requestId: string; throttled?: true };

export interface FunctionStats {
  name: string;
  invocations: number;
  errors: number;
  timeouts: number;
  /** Invocations refused over the reserved concurrency (Lambda's Throttles metric; not in invocations). */
  throttles: number;
  coldStarts: number;
  /** Sandboxes (worker threads) alive now, and how many of them run an invocation. */
  instances: number;
  busy: number;
  /** Async events accepted and not yet finished (including retries waiting). */
  asyncPending: number;
  asyncDiscarded: number;
  averageDurationMs: number;
}

export interface LambdaRuntime {
  /** RequestResponse invocation. Rejects only for an unknown function. */
  invoke(name: string, event: unknown): Promise<InvocationResult>;
  /** Event invocation: retries, maximum event age and the on-failure destination, as Lambda does. */
  invokeAsync(name: string, event: unknown): void;
  /** Resolves when no async work is pending. */
  idle(): Promise<void>;
  stats(): FunctionStats[];
  /** The function behind a name, physical name or ARN. */
  describe(name: string): FunctionSpec | undefined;
  /** Replaces a function's sandboxes (its code changed): idle ones now, busy ones when they finish. */
  reload(name: string): void;
  /** Starts a sandbox of the function ahead of its first invocation. */
  warm(name: string): void;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  functions: FunctionSpec[];
  /** AWS_REGION, dummy credentials, AWS_ENDPOINT_URL_* ...; each function's own environment wins over it. */
  baseEnvironment: Record<string, string>;
  /** Delivers an invocation record to an on-failure destination (SQS queue or SNS topic ARN). */
  sendToDestination: (arn: string, message: unknown) => Promise<void>;
  /** Waits before async retries; Lambda waits about 1 then 2 minutes. Default [1000, 2000]. */
  asyncRetryDelaysMs?: number[];
  /** Receives each line a function writes; default: stdout, prefixed with the function name. */
  onLog?: (functionName: string, line: string) => void;
  /** Sandboxes per function at most (Lambda scales out; a laptop should not). Default 4. */
  maxConcurrency?: number;
  /** Wait before an async event throttled `attempt` times in a row is offered again. Default 200 ms doubling to 5 s. */
  throttleRetryDelayMs?: (attempt: number) => number;
}
