import { SQSClient } from '@aws-sdk/client-sqs';
import { keepAliveHandler } from './http-handler.ts';

let client: SQSClient | undefined;

/** The one SQS client of this function instance, created on first use. */
export function sqs(): SQSClient {
  client ??= new SQSClient({ requestHandler: keepAliveHandler() });
  return client;
}
