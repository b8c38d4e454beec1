import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Invoker } from '../cloud/http-api.ts';
import { isLoopbackHost } from '../services/loopback-guard.ts';
import { connectEvent, disconnectEvent, messageEvent, type EventSource } from './events.ts';
import { managementListener } from './management.ts';
import { selectRoute, type ConnectionInfo, type WebSocketApiModel } from './model.ts';

export interface GatewayOptions {
  /** API Gateway closes a connection with no message from the client for 10 minutes, and every connection after 2 hours. */
  idleTimeoutMs?: number;
  maxConnectionMs?: number;
}

/** An open connection: its socket and the timers that end it. */
export interface Connection extends ConnectionInfo {
  socket: WebSocket;
  idleTimer?: NodeJS.Timeout;
  limitTimer?: NodeJS.Timeout;
}

const IDLE_TIMEOUT_MS = 10 * 60_000;
const MAX_CONNECTION_MS = 2 * 60 * 60_000;
/** API Gateway's largest WebSocket message (frames of 32 KB make up at most 128 KB). */
export const MAX_MESSAGE_BYTES = 128 * 1024;

/**
 * A WebSocket API on a loopback port: upgrades run `$connect` (a non-2xx answer refuses the upgrade),
 * messages run the route their route selection picks, closes run `$disconnect`; the same port serves the
 * @connections management API under /<stage>/@connections/{id}.
 */
export class WebSocketGateway {
  readonly connections = new Map<string, Connection>();
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly server: Server;
  private invoker?: Invoker;
  url = '';
  readonly api: WebSocketApiModel;
  private readonly options: GatewayOptions;

  constructor(api: WebSocketApiModel, options: GatewayOptions = {}) {
    this.api = api;
    this.options = options;
    this.server = createServer(managementListener(this));
    this.server.on('upgrade', (request, socket, head) => void this.upgrade(request, socket, head));
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', resolve);
    });
    const address = this.server.address();
    this.url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
    return this.url;
  }

  /** Functions run once the runtime exists (the gateway listens earlier: its URL is in their environment). */
  attach(invoker: Invoker): void {
    this.invoker = invoker;
  }

  private source(request: IncomingMessage): EventSource {
    const stage = new URL(request.url ?? '/', 'http://localhost').pathname.split('/').filter(Boolean)[0] ?? '$default';
    return { apiId: this.api.apiId, stage, domainName: request.headers.host ?? '127.0.0.1' };
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (!isLoopbackHost(request.headers.host) || !this.invoker) return refuseUpgrade(socket, 403);
    const source = this.source(request);
    const now = Date.now();
    const info: ConnectionInfo = {
      connectionId: randomBytes(12).toString('base64url'),
      connectedAt: now,
      lastActiveAt: now,
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      userAgent: String(request.headers['user-agent'] ?? ''),
    };
    const status = await this.routeStatus('$connect', connectEvent(source, info, request));
    if (status < 200 || status > 299) return refuseUpgrade(socket, status);
    this.sockets.handleUpgrade(request, socket, head, (ws) => this.open(ws, info, source));
  }

  /** The status a route's function answers (no route: 200, as API Gateway connects without a $connect route). */
  private async routeStatus(routeKey: string, event: unknown): Promise<number> {
    const functionName = this.api.routes.get(routeKey);
    if (!functionName) return 200;
    const result = await this.invoker!.invoke(functionName, event);
    if (!result.ok) return 500;
    const payload = result.payload as { statusCode?: number } | null;
    return typeof payload?.statusCode === 'number' ? payload.statusCode : 200;
  }

  private open(socket: WebSocket, info: ConnectionInfo, source: EventSource): void {
    const connection: Connection = { ...info, socket };
    this.connections.set(info.connectionId, connection);
    this.touch(connection);
    connection.limitTimer = setTimeout(
      () => socket.close(1001, 'Going away'),
      this.options.maxConnectionMs ?? MAX_CONNECTION_MS,
    );
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      this.touch(connection);
      void this.message(connection, source, data, isBinary);
    });
    socket.on('ping', () => this.touch(connection));
    socket.on('close', (code: number, reason: Buffer) => {
      clearTimeout(connection.idleTimer);
      clearTimeout(connection.limitTimer);
      this.connections.delete(info.connectionId);
      void this.routeStatus('$disconnect', disconnectEvent(source, connection, code, reason.toString('utf8')));
    });
  }

  private touch(connection: Connection): void {
    connection.lastActiveAt = Date.now();
    clearTimeout(connection.idleTimer);
    connection.idleTimer = setTimeout(
      () => connection.socket.close(1001, 'Going away'),
      this.options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
    );
  }

  /** A message runs its route; with no route to run, or a failed function, the client gets API Gateway's error frame. */
  private async message(connection: Connection, source: EventSource, data: Buffer, isBinary: boolean): Promise<void> {
    const routeKey = isBinary
      ? '$default'
      : selectRoute(this.api.routeSelectionExpression, data.toString('utf8'), new Set(this.api.routes.keys()));
    const event = messageEvent(source, connection, routeKey, data, isBinary);
    const status = this.api.routes.has(routeKey) ? await this.routeStatus(routeKey, event) : 403;
    if (status >= 400 && connection.socket.readyState === connection.socket.OPEN) {
      const message = status === 403 ? 'Forbidden' : 'Internal server error';
      connection.socket.send(
        JSON.stringify({ message, connectionId: connection.connectionId, requestId: event.requestContext.requestId }),
      );
    }
  }

  /** DeleteConnection: the connection closes, and $disconnect runs as for any close. */
  disconnect(connectionId: string): boolean {
    const connection = this.connections.get(connectionId);
    connection?.socket.close(1000, 'Connection deleted');
    return Boolean(connection);
  }

  async stop(): Promise<void> {
    for (const connection of this.connections.values()) connection.socket.terminate();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function refuseUpgrade(socket: Duplex, status: number): void {
  const text = status === 403 ? 'Forbidden' : status >= 500 ? 'Internal Server Error' : 'Refused';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ message: text })}`,
  );
}
