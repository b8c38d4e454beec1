import { createServer as createHttpServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server as TcpServer, Socket } from 'node:net';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** A real SDK client for a local stand-in (no retries beyond `maxAttempts`, short timeouts). */
export function kinesisClientFor(
  endpoint: string,
  options: { maxAttempts?: number; requestTimeout?: number } = {},
): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: options.maxAttempts ?? 1,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 1_000,
      requestTimeout: options.requestTimeout ?? 5_000,
      throwOnRequestTimeout: true,
    }),
  });
}

const listen = async <S extends HttpServer | TcpServer>(server: S): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/**
 * A Kinesis that holds every PutRecords until `release()`, then accepts all its records: lets a test
 * fill a batcher and drain it when it chooses. Loopback only.
 */
export async function gatedKinesis() {
  const waiting: Array<() => void> = [];
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () =>
      waiting.push(() => {
        const { Records = [] } = JSON.parse(Buffer.concat(chunks).toString()) as { Records?: unknown[] };
        response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
        response.end(
          JSON.stringify({
            FailedRecordCount: 0,
            Records: Records.map((_, i) => ({ SequenceNumber: String(i + 1), ShardId: 'shardId-000000000000' })),
          }),
        );
      }),
    );
  });
  const endpoint = await listen(server);
  return {
    endpoint,
    /** Calls received and not yet answered. */
    waiting: () => waiting.length,
    release: () => waiting.splice(0).forEach((answer) => answer()),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP server that accepts connections and never answers: a black-holed Kinesis. Loopback only. */
export async function blackHole() {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  const endpoint = await listen(server);
  return {
    endpoint,
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
