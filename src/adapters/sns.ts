import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { keepAliveHandler } from './http-handler.ts';
import { traced } from './tracing.ts';

let client: SNSClient | undefined;

/** The one SNS client of this function instance, created on first use. */
export function sns(): SNSClient {
  client ??= traced(new SNSClient({ requestHandler: keepAliveHandler() }));
  return client;
}

export async function publish(topicArn: string, message: { subject: string; body: string }): Promise<void> {
  await sns().send(new PublishCommand({ TopicArn: topicArn, Subject: message.subject, Message: message.body }));
}
