import { inject } from 'vitest';
import { LOCAL_CREDENTIALS, type Endpoints } from '@refarch/local-cloud';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

/** What the global setup tells tests about the running local cloud. */
export interface LocalCloudInfo {
  endpoints: Endpoints;
  stackName: string;
  resources: Record<string, { type: string; physicalId: string; arn?: string }>;
  functions: Record<string, { physicalName: string; environment: Record<string, string> }>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    localCloud: LocalCloudInfo;
  }
}

export function localCloud(): LocalCloudInfo {
  return inject('localCloud');
}

/** The physical name (or URL, for queues) of a template resource, e.g. physicalId('VoteApp'). */
export function physicalId(logicalId: string): string {
  const resource = localCloud().resources[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId} in the template`);
  return resource.physicalId;
}

/** SDK client settings for the local services, for tests that check sinks directly. */
export function awsConfig(service: 'dynamodb' | 'kinesis' | 's3' | 'sqs' | 'sns' | 'secretsmanager') {
  return {
    region: 'us-east-1',
    endpoint: localCloud().endpoints[service],
    credentials: LOCAL_CREDENTIALS,
    ...(service === 's3' ? { forcePathStyle: true } : {}),
  };
}

export type Invocation =
  { ok: true; payload: unknown } | { ok: false; error: { errorType: string; errorMessage: string }; timedOut: boolean };

/** Invokes a function on the local cloud, as `npm run invoke` does. */
export async function invokeFunction(name: string, event: unknown): Promise<Invocation> {
  const response = await fetch(`${localCloud().endpoints.console}/_local/invoke/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  if (!response.ok) throw new Error(`invoke ${name}: HTTP ${response.status} ${await response.text()}`);
  return response.json() as Promise<Invocation>;
}

export { eventually } from './eventually.ts';

/** The console's counters for the event source mappings of a function. */
export async function mappingStats(functionName: string): Promise<unknown[]> {
  const response = await fetch(`${localCloud().endpoints.console}/_local/stats`);
  const { mappings } = (await response.json()) as { mappings: Array<{ functionName: string }> };
  return mappings.filter((mapping) => mapping.functionName === functionName);
}

/**
 * Awaits a check on a stream pipeline; if it fails, the error carries the consumer's mapping counters
 * and last error, so a red run says whether the stream delivered nothing or the function failed.
 */
export async function explainedByMapping<T>(functionName: string, check: Promise<T>): Promise<T> {
  try {
    return await check;
  } catch (error) {
    const stats = await mappingStats(functionName).catch((cause: Error) => `unavailable: ${cause.message}`);
    (error as Error).message += `\nevent source mappings of ${functionName}: ${JSON.stringify(stats)}`;
    throw error;
  }
}

/** Receives and deletes every message now in a queue (by logical id), parsed as JSON. */
export async function drainQueue(logicalId: string): Promise<unknown[]> {
  const sqs = new SQSClient(awsConfig('sqs'));
  const QueueUrl = physicalId(logicalId);
  const messages: unknown[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
    );
    if (!Messages.length) return messages;
    messages.push(...Messages.map((m) => JSON.parse(m.Body ?? 'null')));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
}
