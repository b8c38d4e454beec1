import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { readBody } from '../http-util.ts';
import { refused } from '../services/loopback-guard.ts';
import type { Connection, WebSocketGateway } from './gateway.ts';
import { MAX_MESSAGE_BYTES } from './gateway.ts';

/**
 * The @connections management API (`POST` PostToConnection, `GET` GetConnection, `DELETE` DeleteConnection on
 * `[/<stage>]/@connections/{id}`). Errors come as the SDK parses them: `x-amzn-errortype` and a JSON message,
 * so a connection that is unknown or closing answers 410 and the client throws GoneException.
 */
export function managementListener(gateway: WebSocketGateway): RequestListener {
  return (request, response) => {
    const port = Number(new URL(gateway.url || 'ws://127.0.0.1:0').port);
    if (refused(request, response, port)) return;
    handle(gateway, request, response).catch((error: unknown) => {
      console.error('[websocket @connections]', error);
      if (!response.headersSent) fail(response, 500, 'InternalServerErrorException', 'Internal server error');
    });
  };
}

async function handle(gateway: WebSocketGateway, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const match = /^(?:\/[^/]+)?\/@connections\/([^/]+)$/.exec(new URL(request.url ?? '/', 'http://localhost').pathname);
  if (!match) return fail(response, 404, 'NotFoundException', 'Not Found');
  const connection = openConnection(gateway, decodeURIComponent(match[1]!));
  const method = (request.method ?? 'GET').toUpperCase();
  if (method === 'POST') {
    let data: Buffer;
    try {
      data = await readBody(request, MAX_MESSAGE_BYTES);
    } catch {
      return fail(response, 413, 'PayloadTooLargeException', 'Message too long');
    }
    if (!connection) return gone(response);
    connection.socket.send(data.toString('utf8'));
    return void response.writeHead(200).end();
  }
  if (!connection) return gone(response);
  if (method === 'GET') {
    response.writeHead(200, { 'content-type': 'application/json' });
    return void response.end(
      JSON.stringify({
        connectedAt: new Date(connection.connectedAt).toISOString(),
        lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
      }),
    );
  }
  if (method === 'DELETE') {
    gateway.disconnect(connection.connectionId);
    return void response.writeHead(204).end();
  }
  fail(response, 405, 'MethodNotAllowedException', 'Method not allowed');
}

/** A connection still open (one that is closing is already gone for the API, as on AWS). */
function openConnection(gateway: WebSocketGateway, connectionId: string): Connection | undefined {
  const connection = gateway.connections.get(connectionId);
  return connection && connection.socket.readyState === connection.socket.OPEN ? connection : undefined;
}

const gone = (response: ServerResponse) =>
  fail(response, 410, 'GoneException', 'The connection does not exist or is closed');

function fail(response: ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ message }));
}
