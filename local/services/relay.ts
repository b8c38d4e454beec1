import { Agent, createServer, request as forward, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { refused } from './loopback-guard.ts';

export interface Relay {
  /** Closes every connection through the relay and refuses new ones (clients see a reset). */
  refuse(): void;
  accept(): void;
  accepting(): boolean;
  close(): Promise<void>;
}

/** What the relay may change in a request before passing it on: its path (with the query) and headers. */
export type RequestRewrite = (request: { path: string; headers: IncomingHttpHeaders }) => { path: string; headers: IncomingHttpHeaders };

/**
 * An HTTP/1.1 relay from a service's public port (127.0.0.1) to the port its process listens on,
 * passing every request on as it came (bodies streamed, raw response headers) after `rewrite`.
 * Stopping a service behind it first cuts its clients off, as a crashed host would: some servers
 * (kinesis-mock) wait for idle keep-alive connections to close before they shut down, and clients
 * keep theirs open.
 */
export async function startRelay(publicPort: number, targetPort: number, rewrite: RequestRewrite = (r) => r): Promise<Relay> {
  const open = new Set<Socket>();
  let accepting = true;
  let agent = new Agent({ keepAlive: true });
  const server = createServer((incoming, outgoing) => {
    if (refused(incoming, outgoing)) return; // a page whose DNS name was rebound to 127.0.0.1
    const { path, headers } = rewrite({ path: incoming.url ?? '/', headers: { ...incoming.headers } });
    const upstream = forward({ host: '127.0.0.1', port: targetPort, method: incoming.method, path, headers, agent }, (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.statusMessage, response.rawHeaders);
      response.pipe(outgoing);
      response.once('error', () => outgoing.destroy());
    });
    // The service went away mid-request: the client sees its connection reset, as without the relay.
    upstream.once('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    if (!accepting) return socket.destroy();
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(publicPort, '127.0.0.1', resolve);
  });
  const cutAll = () => {
    for (const socket of open) socket.destroy();
    agent.destroy(); // and the relay's own connections to the service
    agent = new Agent({ keepAlive: true });
  };
  return {
    refuse: () => { accepting = false; cutAll(); },
    accept: () => { accepting = true; },
    accepting: () => accepting,
    close: () => { accepting = false; cutAll(); return new Promise((resolve) => server.close(() => resolve())); },
  };
}
