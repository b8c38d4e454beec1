import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { readBody } from '../../http-util.ts';
import { refused } from '../loopback-guard.ts';
import { OPERATIONS, type Input } from './api.ts';
import { KinesisError } from './errors.ts';
import { StreamStore, type EngineOptions } from './streams.ts';

const TARGET_PREFIX = 'Kinesis_20131202.';
const JSON_TYPE = 'application/x-amz-json-1.1';

export interface KinesisEngineServer {
  port: number;
  store: StreamStore;
  /** Cuts every connection and refuses new ones (clients see a reset), keeping every record: an outage for chaos tests. */
  refuse(): void;
  accept(): void;
  accepting(): boolean;
  close(): Promise<void>;
}

/** Runs one operation of an AWS JSON 1.1 request; the answer's status and body. */
export function dispatch(
  store: StreamStore,
  target: string | undefined,
  body: Buffer,
): { status: number; body: unknown; errorType?: string } {
  try {
    const operation = target?.startsWith(TARGET_PREFIX) ? OPERATIONS[target.slice(TARGET_PREFIX.length)] : undefined;
    if (!operation)
      throw new KinesisError(
        'UnknownOperationException',
        `Operation ${target ?? '(no X-Amz-Target)'} is not supported by the local Kinesis.`,
      );
    let input: Input;
    try {
      input = body.length ? (JSON.parse(body.toString('utf8')) as Input) : {};
    } catch {
      throw new KinesisError('SerializationException', 'The request body is not JSON.');
    }
    return { status: 200, body: operation(store, input) };
  } catch (error) {
    if (!(error instanceof KinesisError))
      return { status: 500, body: { __type: 'InternalFailure', message: String(error) }, errorType: 'InternalFailure' };
    return { status: error.status, body: { __type: error.type, message: error.message }, errorType: error.type };
  }
}

async function serve(store: StreamStore, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (refused(request, response)) return; // a page whose DNS name was rebound to 127.0.0.1
  const target = request.headers['x-amz-target'];
  const answer = dispatch(
    store,
    typeof target === 'string' ? target : undefined,
    await readBody(request, 12 * 1024 * 1024),
  );
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(answer.errorType ? { 'x-amzn-errortype': answer.errorType } : {}),
  });
  response.end(text);
}

/** The local Kinesis: an HTTP/1.1 server on 127.0.0.1 speaking the API the SDK v3 client sends (AWS JSON 1.1), in memory. */
export async function startKinesisEngine(port: number, options: EngineOptions): Promise<KinesisEngineServer> {
  const store = new StreamStore(options);
  const open = new Set<Socket>();
  let accepting = true;
  const server = createServer((request, response) => {
    serve(store, request, response).catch(() => response.destroy());
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket: Socket) => {
    if (!accepting) return socket.destroy();
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const cutAll = () => {
    for (const socket of open) socket.destroy();
  };
  return {
    port,
    store,
    refuse: () => {
      accepting = false;
      cutAll();
    },
    accept: () => {
      accepting = true;
    },
    accepting: () => accepting,
    close: () => {
      accepting = false;
      cutAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
