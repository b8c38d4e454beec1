import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Guards for the local cloud's HTTP servers, which listen on 127.0.0.1 only but can still be reached by
 * a web page in the developer's browser:
 * - DNS rebinding: a page of evil.example whose name is made to resolve to 127.0.0.1 sends requests
 *   the browser treats as same-origin, with `Host: evil.example:<port>`. Only a loopback name in `Host`
 *   is served.
 * - CSRF: any page can send a form POST (or a fetch without reading the answer) to 127.0.0.1. A
 *   state-changing request is served only without an `Origin` (tools: curl, SDKs, npm run invoke) or
 *   from the server's own origin, and never with `Sec-Fetch-Site: cross-site`.
 */

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;
const STATE_CHANGING = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/** `127.0.0.1`, `localhost` or `[::1]`, with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  return typeof host === 'string' && LOOPBACK_HOST.test(host);
}

/** The origins of a server on this port: `http://127.0.0.1:<port>`, `http://localhost:<port>`, `http://[::1]:<port>`. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`];
}

export type Refusal = { code: 'forbidden_host' | 'forbidden_origin'; message: string };

/** Why a request must be refused (undefined: serve it). `ownPort` set: also the CSRF rules for state-changing methods. */
export function refusal(request: IncomingMessage, ownPort?: number): Refusal | undefined {
  const host = request.headers.host;
  if (!isLoopbackHost(host)) {
    return {
      code: 'forbidden_host',
      message: `Host ${JSON.stringify(host ?? '')} is not a loopback name: the local cloud answers only to 127.0.0.1, localhost or [::1]`,
    };
  }
  if (ownPort === undefined || !STATE_CHANGING.has((request.method ?? 'GET').toUpperCase())) return undefined;
  const origin = request.headers.origin;
  if (origin !== undefined && !ownOrigins(ownPort).includes(origin)) {
    return {
      code: 'forbidden_origin',
      message: `Origin ${JSON.stringify(origin)} may not change anything here: only pages of ${ownOrigins(ownPort)[0]} may`,
    };
  }
  if (request.headers['sec-fetch-site'] === 'cross-site') {
    return { code: 'forbidden_origin', message: 'a cross-site request may not change anything here' };
  }
  return undefined;
}

/** Answers 403 with a JSON error if the request is refused; true if it was. */
export function refused(request: IncomingMessage, response: ServerResponse, ownPort?: number): boolean {
  const reason = refusal(request, ownPort);
  if (!reason) return false;
  response.writeHead(403, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify({ error: reason }));
  return true;
}
