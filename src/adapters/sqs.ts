import { SQSClient } from '@aws-sdk/client-sqs';
import { keepAliveHandler } from './http-handler.ts';
import { traced } from './tracing.ts';

let client: SQSClient | undefined;

/** The one SQS client of this function instance, created on first use. */
export function sqs(): SQSClient {
  client ??= traced(new SQSClient({ requestHandler: keepAliveHandler() }));
  return client;
}
