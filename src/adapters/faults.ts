import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The documented chaos switch. With FAULT_DYNAMODB_WRITE_RATE=p (0..1), a share p of the DynamoDB
 * write commands (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems) fail with a
 * retryable-looking 500: half of them before the request is sent (nothing written), half after it
 * succeeded (written, but the response is lost). The middleware sits first in the `initialize`
 * step, outside the SDK's retry middleware, so the SDK's own retries cannot hide the fault: callers
 * see it and must cope (retry, report a batch item failure), exactly as with a real lost response.
 * Unset or 0: nothing is installed.
 */
export const FAULT_RATE_VARIABLE = 'FAULT_DYNAMODB_WRITE_RATE';

const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

/** The configured fault rate; a value outside 0..1 is a configuration error, not "no faults". */
export function faultRate(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 0;
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1)
    throw new Error(`${FAULT_RATE_VARIABLE} must be a number from 0 to 1, not ${JSON.stringify(value)}`);
  return rate;
}

export function injectWriteFaults(client: DynamoDBClient, rate: number, random: () => number = Math.random): void {
  if (rate <= 0) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      if (!WRITE_COMMANDS.has(command)) return next(args);
      const draw = random();
      if (draw >= rate) return next(args);
      if (draw < rate / 2) throw injectedFault(command, 'before the request was sent');
      await next(args);
      throw injectedFault(command, 'after the write took effect (response lost)');
    },
    { step: 'initialize', priority: 'high', name: 'injectDynamoDbWriteFaults' },
  );
}

function injectedFault(command: string, when: string): Error {
  const error = new Error(`Injected fault (${FAULT_RATE_VARIABLE}): ${command} failed ${when}`);
  error.name = 'InternalServerError';
  return Object.assign(error, { $fault: 'server', $retryable: {}, $metadata: { httpStatusCode: 500 } });
}
