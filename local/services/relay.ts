import { connect, createServer, type Socket } from 'node:net';

export interface Relay {
  /** Closes every connection through the relay and refuses new ones (clients see a reset). */
  refuse(): void;
  accept(): void;
  accepting(): boolean;
  close(): Promise<void>;
}

/**
 * A TCP relay from a service's public port to the port its process listens on. Stopping a service
 * behind it first cuts its clients off, as a crashed host would: some servers (kinesis-mock) wait for
 * idle keep-alive connections to close before they shut down, and clients keep theirs open.
 */
export async function startRelay(publicPort: number, targetPort: number): Promise<Relay> {
  const open = new Set<Socket>();
  let accepting = true;
  const server = createServer((client) => {
    if (!accepting) return client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.once('close', () => { open.delete(socket); client.destroy(); upstream.destroy(); });
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(publicPort, '127.0.0.1', resolve);
  });
  const cutAll = () => { for (const socket of open) socket.destroy(); };
  return {
    refuse: () => { accepting = false; cutAll(); },
    accept: () => { accepting = true; },
    accepting: () => accepting,
    close: () => { cutAll(); return new Promise((resolve) => server.close(() => resolve())); },
  };
}
