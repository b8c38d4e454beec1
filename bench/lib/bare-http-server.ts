// `node bench/lib/bare-http-server.ts (PORT from the environment)`: the bare limit for the tracking server — plain node:http
// answering every request with a JSON body of a tracking hit's size, with no work behind it. Loopback only.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((request, response) => {
  const body = JSON.stringify({
    messageId: randomUUID(),
    programId: request.url?.slice(7) ?? '',
    timestampMs: Date.now(),
  });
  response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`bare server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
