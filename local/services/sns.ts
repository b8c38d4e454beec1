import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { freePort } from '../net.ts';
import { refused } from './loopback-guard.ts';
import { readBody } from '../http-util.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, type RunningService } from './types.ts';

/**
 * A small SNS (query protocol, what SDK v3 speaks for SNS): topics and Publish. Delivery to
 * subscribers is the local cloud's job, through `onPublish`.
 */
export interface SnsNotification {
  topicArn: string;
  messageId: string;
  subject?: string;
  message: string;
  timestamp: string;
  messageAttributes: Record<string, { Type: string; Value: string }>;
}

export interface SnsService extends RunningService {
  createTopic(name: string): string;
  topicArns(): string[];
  /** In-process publish, e.g. S3 notifications to a topic. */
  publish(
    topicArn: string,
    message: string,
    subject?: string,
    messageAttributes?: SnsNotification['messageAttributes'],
  ): string;
  onPublish(listener: (notification: SnsNotification) => void): void;
  /** The newest notifications published to a topic (the last 1,000 of all topics are kept), newest first. */
  recent(topicArn: string): SnsNotification[];
}

const KEPT_NOTIFICATIONS = 1000;

export async function startSns(options: { port?: number } = {}): Promise<SnsService> {
  const port = options.port ?? (await freePort());
  const topics = new Set<string>();
  const listeners: Array<(n: SnsNotification) => void> = [];
  const kept: SnsNotification[] = [];
  const service: SnsService = {
    name: 'sns',
    endpoint: `http://127.0.0.1:${port}`,
    createTopic: (name) => {
      const arn = `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
      topics.add(arn);
      return arn;
    },
    topicArns: () => [...topics],
    publish: (topicArn, message, subject, messageAttributes = {}) => {
      if (!topics.has(topicArn)) throw new NotFound(`Topic does not exist: ${topicArn}`);
      const notification = {
        topicArn,
        messageId: randomUUID(),
        subject,
        message,
        timestamp: new Date().toISOString(),
        messageAttributes,
      };
      kept.push(notification);
      if (kept.length > KEPT_NOTIFICATIONS) kept.shift();
      for (const listener of listeners) listener(notification);
      return notification.messageId;
    },
    onPublish: (listener) => {
      listeners.push(listener);
    },
    recent: (topicArn) => kept.filter((n) => n.topicArn === topicArn).reverse(),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request, response) => {
    if (!refused(request, response)) void serve(request, response, service);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return service;
}

class NotFound extends Error {}

async function serve(request: IncomingMessage, response: ServerResponse, sns: SnsService) {
  try {
    const params = new URLSearchParams((await readBody(request)).toString('utf8'));
    const action = params.get('Action');
    if (action === 'Publish') {
      const id = sns.publish(
        required(params, 'TopicArn'),
        required(params, 'Message'),
        params.get('Subject') ?? undefined,
        messageAttributes(params),
      );
      return xml(response, 200, 'Publish', `<MessageId>${id}</MessageId>`);
    }
    if (action === 'CreateTopic')
      return xml(response, 200, 'CreateTopic', `<TopicArn>${sns.createTopic(required(params, 'Name'))}</TopicArn>`);
    if (action === 'ListTopics') {
      const members = sns
        .topicArns()
        .map((arn) => `<member><TopicArn>${arn}</TopicArn></member>`)
        .join('');
      return xml(response, 200, 'ListTopics', `<Topics>${members}</Topics>`);
    }
    return error(response, 400, 'InvalidAction', `Action ${action} is not supported by the local SNS`);
  } catch (e) {
    if (e instanceof NotFound) return error(response, 404, 'NotFound', e.message);
    return error(response, 400, 'InvalidParameter', (e as Error).message);
  }
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null) throw new Error(`${name} is required`);
  return value;
}

/** MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue, as the query protocol flattens them. */
function messageAttributes(params: URLSearchParams): SnsNotification['messageAttributes'] {
  const attributes: SnsNotification['messageAttributes'] = {};
  for (let n = 1; params.has(`MessageAttributes.entry.${n}.Name`); n += 1) {
    const prefix = `MessageAttributes.entry.${n}`;
    attributes[params.get(`${prefix}.Name`)!] = {
      Type: params.get(`${prefix}.Value.DataType`) ?? 'String',
      Value: params.get(`${prefix}.Value.StringValue`) ?? '',
    };
  }
  return attributes;
}

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function xml(response: ServerResponse, status: number, action: string, result: string) {
  response.writeHead(status, { 'content-type': 'text/xml' });
  response.end(
    `<${action}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

function error(response: ServerResponse, status: number, code: string, message: string) {
  response.writeHead(status, { 'content-type': 'text/xml' });
  response.end(
    `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}
