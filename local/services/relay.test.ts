import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../net.ts';
import { startRelay, type Relay } from './relay.ts';
import { toLocalScope } from './kinesis.ts';

// The relay in front of the Kinesis mock: a Kinesis outage is the relay refusing connections.
let echo: Server;
let relay: Relay;
afterEach(async () => {
  await relay?.close();
  await new Promise((resolve) => echo?.close(resolve));
});

/** Answers every request with what it received: path, headers and body. */
async function echoServer(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': 'yes' });
      res.end(JSON.stringify({ path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

interface Answer { status: number; headers: IncomingHttpHeaders; body: string }

/** Sends a request through the port; resolves to the answer, or to 'reset' when the connection is cut. */
function send(port: number, options: { path?: string; headers?: Record<string, string>; body?: string; hold?: boolean } = {}): Promise<Answer | 'reset'> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: options.path ?? '/', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', () => resolve('reset'));
    });
    req.on('error', () => resolve('reset'));
    if (options.hold) req.write(options.body ?? ''); // the request stays open
    else req.end(options.body ?? '');
  });
}

describe('startRelay', () => {
  it('passes requests and answers on, cuts open connections and refuses new ones while refusing, then accepts again', async () => {
    const [publicPort, targetPort] = [await freePort(), await freePort()];
    echo = await echoServer(targetPort);
    relay = await startRelay(publicPort, targetPort);
    const answer = await send(publicPort, { path: '/a?b=c', body: 'ping' });
    expect(answer).toMatchObject({ status: 200, headers: { 'x-echo': 'yes' } });
    expect(JSON.parse((answer as Answer).body)).toMatchObject({ path: '/a?b=c', body: 'ping' });

    const held = send(publicPort, { body: 'hold', hold: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    relay.refuse();
    expect(await held).toBe('reset');
    expect(await send(publicPort, { body: 'while down' })).toBe('reset');

    relay.accept();
    expect(JSON.parse(((await send(publicPort, { body: 'back' })) as Answer).body)).toMatchObject({ body: 'back' });
  });

  it('refuses a request whose Host is not a loopback name (DNS rebinding) with 403', async () => {
    const [publicPort, targetPort] = [await freePort(), await freePort()];
    echo = await echoServer(targetPort);
    relay = await startRelay(publicPort, targetPort);
    const answer = await send(publicPort, { headers: { host: `rebound.example:${publicPort}` }, body: 'x' });
    expect(answer).toMatchObject({ status: 403 });
    expect(JSON.parse((answer as Answer).body)).toMatchObject({ error: { code: 'forbidden_host' } });
  });

  it('rewrites requests for the Kinesis mock to the local account and region, whatever key and region signed them', async () => {
    const [publicPort, targetPort] = [await freePort(), await freePort()];
    echo = await echoServer(targetPort);
    relay = await startRelay(publicPort, targetPort, toLocalScope);
    const authorization = 'AWS4-HMAC-SHA256 Credential=123456789012/20260101/eu-west-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
    const seen = JSON.parse(((await send(publicPort, { headers: { authorization }, body: '{}' })) as Answer).body) as { headers: IncomingHttpHeaders };
    expect(seen.headers.authorization).toBe('AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc');
    const presigned = JSON.parse(((await send(publicPort, { path: '/?X-Amz-Credential=AKIAX%2F20260101%2Fap-south-1%2Fkinesis%2Faws4_request&X-Amz-Signature=s' })) as Answer).body) as { path: string };
    expect(new URL(presigned.path, 'http://x').searchParams.get('X-Amz-Credential')).toBe('local/20260101/us-east-1/kinesis/aws4_request');
  });
});
