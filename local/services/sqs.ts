import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { freePort } from '../net.ts';
import { refused } from './loopback-guard.ts';
import { readBody } from '../http-util.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, type RunningService } from './types.ts';

/**
 * A small SQS (JSON 1.0 protocol, what SDK v3 speaks) for the dead-letter queues and on-failure
 * destinations: enough of the API for functions, tests and the console to send, receive, delete and count.
 */
interface Message {
  id: string;
  body: string;
  md5: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  receipt?: string;
}
interface Queue {
  name: string;
  messages: Message[];
}

export interface SqsService extends RunningService {
  createQueue(name: string): string;
  /** In-process send, used for on-failure destinations; `arn` is the queue ARN. */
  sendByArn(arn: string, body: string): void;
  depth(name: string): number;
  /** The bodies of every message in a queue, without receiving them (the console's queue view). */
  peek(name: string): string[] | undefined;
  queueNames(): string[];
  queueUrl(name: string): string;
}

type Handler = (queues: Map<string, Queue>, input: Record<string, unknown>, sqs: SqsService) => unknown;

class SqsError extends Error {
  readonly code: string;
  readonly queryCode: string;
  constructor(code: string, queryCode: string, message: string) {
    super(message);
    this.code = code;
    this.queryCode = queryCode;
  }
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

function queueOf(queues: Map<string, Queue>, url: unknown): Queue {
  const name = typeof url === 'string' ? (url.split('/').pop() ?? '') : '';
  const queue = queues.get(name);
  if (!queue)
    throw new SqsError(
      'QueueDoesNotExist',
      'AWS.SimpleQueueService.NonExistentQueue',
      `The specified queue ${name} does not exist.`,
    );
  return queue;
}

function enqueue(queue: Queue, body: string, delaySeconds = 0): Message {
  const now = Date.now();
  const message = {
    id: randomUUID(),
    body,
    md5: md5(body),
    sentAt: now,
    visibleAt: now + delaySeconds * 1000,
    receiveCount: 0,
  };
  queue.messages.push(message);
  return message;
}

const handlers: Record<string, Handler> = {
  CreateQueue: (_queues, input, sqs) => ({ QueueUrl: sqs.createQueue(String(input.QueueName)) }),
  GetQueueUrl: (queues, input, sqs) => ({ QueueUrl: sqs.queueUrl(queueOf(queues, String(input.QueueName)).name) }),
  ListQueues: (queues, _input, sqs) => ({ QueueUrls: [...queues.keys()].map((name) => sqs.queueUrl(name)) }),
  SendMessage: (queues, input) => {
    const message = enqueue(
      queueOf(queues, input.QueueUrl),
      String(input.MessageBody ?? ''),
      Number(input.DelaySeconds ?? 0),
    );
    return { MessageId: message.id, MD5OfMessageBody: message.md5 };
  },
  SendMessageBatch: (queues, input) => {
    const queue = queueOf(queues, input.QueueUrl);
    const entries = (input.Entries as Array<{ Id: string; MessageBody: string; DelaySeconds?: number }>) ?? [];
    const successful = entries.map((entry) => {
      const message = enqueue(queue, entry.MessageBody, entry.DelaySeconds ?? 0);
      return { Id: entry.Id, MessageId: message.id, MD5OfMessageBody: message.md5 };
    });
    return { Successful: successful, Failed: [] };
  },
  ReceiveMessage: (queues, input) =>
    receive(
      queueOf(queues, input.QueueUrl),
      Number(input.MaxNumberOfMessages ?? 1),
      Number(input.VisibilityTimeout ?? 30),
    ),
  DeleteMessage: (queues, input) => {
    const queue = queueOf(queues, input.QueueUrl);
    queue.messages = queue.messages.filter((m) => m.receipt !== input.ReceiptHandle);
    return {};
  },
  DeleteMessageBatch: (queues, input) => {
    const queue = queueOf(queues, input.QueueUrl);
    const entries = (input.Entries as Array<{ Id: string; ReceiptHandle: string }>) ?? [];
    const receipts = new Set(entries.map((e) => e.ReceiptHandle));
    queue.messages = queue.messages.filter((m) => !m.receipt || !receipts.has(m.receipt));
    return { Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] };
  },
  PurgeQueue: (queues, input) => {
    queueOf(queues, input.QueueUrl).messages = [];
    return {};
  },
  GetQueueAttributes: (queues, input) => {
    const queue = queueOf(queues, input.QueueUrl);
    const now = Date.now();
    const visible = queue.messages.filter((m) => m.visibleAt <= now).length;
    return {
      Attributes: {
        QueueArn: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${queue.name}`,
        ApproximateNumberOfMessages: String(visible),
        ApproximateNumberOfMessagesNotVisible: String(queue.messages.length - visible),
      },
    };
  },
};

function receive(queue: Queue, max: number, visibilitySeconds: number) {
  const now = Date.now();
  const ready = queue.messages.filter((m) => m.visibleAt <= now).slice(0, Math.min(Math.max(max, 1), 10));
  for (const message of ready) {
    message.receipt = randomUUID();
    message.receiveCount += 1;
    message.visibleAt = now + visibilitySeconds * 1000;
  }
  return {
    Messages: ready.map((m) => ({
      MessageId: m.id,
      ReceiptHandle: m.receipt,
      MD5OfBody: m.md5,
      Body: m.body,
      Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) },
    })),
  };
}

export async function startSqs(options: { port?: number } = {}): Promise<SqsService> {
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  const queues = new Map<string, Queue>();
  const service: SqsService = {
    name: 'sqs',
    endpoint,
    queueUrl: (name) => `${endpoint}/${LOCAL_ACCOUNT}/${name}`,
    createQueue: (name) => {
      if (!queues.has(name)) queues.set(name, { name, messages: [] });
      return service.queueUrl(name);
    },
    sendByArn: (arn, body) => {
      enqueue(queueOf(queues, arn.split(':').pop()), body);
    },
    depth: (name) => queues.get(name)?.messages.length ?? 0,
    peek: (name) => queues.get(name)?.messages.map((m) => m.body),
    queueNames: () => [...queues.keys()],
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request, response) => {
    if (!refused(request, response)) void serve(request, response, queues, service);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return service;
}

async function serve(request: IncomingMessage, response: ServerResponse, queues: Map<string, Queue>, sqs: SqsService) {
  const action = String(request.headers['x-amz-target'] ?? '').replace('AmazonSQS.', '');
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
      ...headers,
    });
    response.end(JSON.stringify(body));
  };
  try {
    const handler = handlers[action];
    if (!handler)
      throw new SqsError(
        'InvalidAction',
        'AWS.SimpleQueueService.InvalidAction',
        `Action ${action} is not supported by the local SQS`,
      );
    const text = (await readBody(request)).toString('utf8');
    send(200, handler(queues, text ? JSON.parse(text) : {}, sqs));
  } catch (error) {
    const e = error instanceof SqsError ? error : new SqsError('InternalError', 'InternalError', String(error));
    send(
      400,
      { __type: `com.amazonaws.sqs#${e.code}`, message: e.message },
      { 'x-amzn-query-error': `${e.queryCode};Sender` },
    );
  }
}
