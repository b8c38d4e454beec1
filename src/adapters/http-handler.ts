import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * The HTTP/1.1 handler every SDK client here uses: keep-alive connections reused across
 * invocations of a warm function (no TLS handshake per request), and bounded waits: a request with no
 * answer in 5 s fails (and the SDK retries it) instead of waiting as long as its socket lives.
 * (HTTP/1.1 also because the local Kinesis speaks only HTTP/1.1.)
 */
export function keepAliveHandler(): NodeHttpHandler {
  return new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true }),
    httpsAgent: new HttpsAgent({ keepAlive: true }),
    connectionTimeout: 3_000,
    requestTimeout: 5_000,
    throwOnRequestTimeout: true, // without it the SDK only logs a warning and goes on waiting
  });
}
