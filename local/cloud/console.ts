import { readFile } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { readBody, sendJson } from '../http-util.ts';
import type { BucketBrowser } from './buckets.ts';
import type { TableBrowser } from './tables.ts';
import type { ServiceControl } from '../services/types.ts';
import { refused } from '../services/loopback-guard.ts';

export interface ConsoleOptions {
  webDir: string;
  /** The browser-side configuration served as /config.js. */
  pageConfig: () => Record<string, unknown>;
  stats: () => Promise<unknown>;
  invoke: (name: string, event: unknown) => Promise<unknown>;
  /** Notifications recently published to a topic of the stack, by topic name (undefined: no such topic). */
  topicMessages?: (topicName: string) => unknown[] | undefined;
  /** The stack's buckets: listed at /_local/buckets, their objects served at /_local/s3/<bucket>/<key>. */
  buckets: BucketBrowser;
  /** The stack's tables: a few items of one at /_local/tables/<LogicalId>?limit=N. */
  tables?: TableBrowser;
  /** The bodies of the messages in a queue of the stack, by queue name (undefined: no such queue). */
  queueMessages?: (queueName: string) => string[] | undefined;
  /** Services that can be stopped and started again (chaos tests): /_local/services/<name>/stop|start. */
  services?: Record<string, ServiceControl>;
  /** Local-only token minting for the HTTP API's JWT authorizer (undefined: the stack has none). */
  mintToken?: (user: string, groups: string[]) => Promise<{ token: string; expiresAt: string }>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/**
 * Stored objects are shown as they are, so they may hold any HTML: a sandboxed document (an opaque
 * origin, no scripts) that loads nothing but images and inline styles cannot act as the console.
 */
const OBJECT_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline'",
};

/**
 * The local cloud's own pages: web/ (results, consoles), live statistics, buckets, and invoke for `npm run invoke`.
 * No web page can drive it: a `Host` that is not a loopback name (DNS rebinding) is refused, and so is a
 * state-changing request (invoke, token, service stop/start) from another origin (CSRF); see loopback-guard.ts.
 */
export function consoleListener(options: ConsoleOptions): RequestListener {
  return (request, response) => {
    if (refused(request, response, request.socket.localPort)) return;
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      try {
        if (url.pathname === '/') {
          response.writeHead(302, { location: '/console.html' });
          return response.end();
        }
        if (url.pathname === '/config.js') {
          response.writeHead(200, { 'content-type': CONTENT_TYPES['.js']!, 'cache-control': 'no-store' });
          return response.end(`window.REFARCH_CONFIG = ${JSON.stringify(options.pageConfig())};\n`);
        }
        if (url.pathname === '/_local/stats')
          return sendJson(response, 200, withoutPasswords(await options.stats()), { 'cache-control': 'no-store' });
        const topic = /^\/_local\/topics\/([A-Za-z0-9_-]+)\/messages$/.exec(url.pathname);
        if (topic && options.topicMessages) {
          const messages = options.topicMessages(topic[1]!);
          return messages
            ? sendJson(response, 200, { messages }, { 'cache-control': 'no-store' })
            : sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `no topic ${topic[1]}` } });
        }
        const queue = /^\/_local\/queues\/([A-Za-z0-9_.-]+)\/messages$/.exec(url.pathname);
        if (queue && options.queueMessages) {
          const messages = options.queueMessages(queue[1]!);
          return messages
            ? sendJson(response, 200, { messages }, { 'cache-control': 'no-store' })
            : sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `no queue ${queue[1]}` } });
        }
        if (url.pathname === '/_local/buckets')
          return sendJson(response, 200, await options.buckets.list(), { 'cache-control': 'no-store' });
        if (url.pathname.startsWith('/_local/s3/')) return await serveObject(options.buckets, url.pathname, response);
        const table = /^\/_local\/tables\/([A-Za-z0-9]+)$/.exec(url.pathname);
        if (table && options.tables)
          return await serveTableItems(options.tables, table[1]!, url.searchParams, response);
        if (url.pathname === '/_local/services')
          return sendJson(response, 200, serviceStates(options.services ?? {}), { 'cache-control': 'no-store' });
        const service = /^\/_local\/services\/([a-z0-9-]+)\/(stop|start)$/.exec(url.pathname);
        if (service && request.method === 'POST')
          return await controlService(options.services ?? {}, service[1]!, service[2] as 'stop' | 'start', response);
        if (url.pathname === '/_local/auth/token' && request.method === 'POST')
          return await mintToken(options, request, response);
        const invoke = /^\/_local\/invoke\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
        if (invoke && request.method === 'POST') {
          const text = (await readBody(request)).toString('utf8');
          return sendJson(response, 200, await options.invoke(invoke[1]!, text ? JSON.parse(text) : {}));
        }
        await serveStatic(options.webDir, url.pathname, response);
      } catch (error) {
        sendJson(response, 500, { error: { code: 'LOCAL_CLOUD_ERROR', message: (error as Error).message } });
      }
    })();
  };
}

/**
 * Pages show the endpoints of the statistics: a URL there loses its user and password (the Redis URL
 * has the AUTH token in it). Tools read the full URLs from .local/endpoints.json, readable by its owner only.
 */
function withoutPasswords(stats: unknown): unknown {
  if (
    !stats ||
    typeof stats !== 'object' ||
    !('endpoints' in stats) ||
    !stats.endpoints ||
    typeof stats.endpoints !== 'object'
  )
    return stats;
  const endpoints = Object.fromEntries(
    Object.entries(stats.endpoints).map(([name, value]) => [
      name,
      typeof value === 'string' ? withoutCredentials(value) : value,
    ]),
  );
  return { ...stats, endpoints };
}

function withoutCredentials(value: string): string {
  try {
    const url = new URL(value);
    if (!url.username && !url.password) return value;
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return value;
  }
}

/** `GET /_local/tables/<LogicalId>?limit=N&key=K` (limit 1-100, default 20; key: a partition key value): items as plain JSON. */
async function serveTableItems(
  tables: TableBrowser,
  logicalId: string,
  query: URLSearchParams,
  response: ServerResponse,
): Promise<void> {
  const limitParam = query.get('limit');
  const limit = limitParam === null ? 20 : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return sendJson(response, 400, {
      error: { code: 'invalid_query', message: 'limit must be an integer from 1 to 100' },
    });
  const found = await tables.items(logicalId, limit, query.get('key') ?? undefined);
  return found
    ? sendJson(response, 200, found, { 'cache-control': 'no-store' })
    : sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `no table ${logicalId} in the stack` } });
}

function serviceStates(services: Record<string, ServiceControl>): Record<string, 'running' | 'stopped'> {
  return Object.fromEntries(
    Object.entries(services).map(([name, control]) => [name, control.running() ? 'running' : 'stopped']),
  );
}

/** `POST /_local/services/<name>/stop|start`: answers once the service is down, or up again and accepting connections. */
async function controlService(
  services: Record<string, ServiceControl>,
  name: string,
  action: 'stop' | 'start',
  response: ServerResponse,
): Promise<void> {
  const control = services[name];
  if (!control)
    return sendJson(response, 404, {
      error: {
        code: 'NOT_FOUND',
        message: `no restartable service ${name}; there are: ${Object.keys(services).join(', ')}`,
      },
    });
  await control[action]();
  sendJson(response, 200, serviceStates(services), { 'cache-control': 'no-store' });
}

/** `POST /_local/auth/token {"user":"alice","groups":["operators"]?}` -> `{token, expiresAt}`: a token the local JWT authorizer accepts. */
async function mintToken(options: ConsoleOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (!options.mintToken)
    return sendJson(response, 404, { error: { code: 'NOT_FOUND', message: 'the stack has no JWT authorizer' } });
  let body: { user?: unknown; groups?: unknown } = {};
  try {
    body = JSON.parse((await readBody(request, 4096)).toString('utf8')) as typeof body;
  } catch {
    body = {};
  }
  const { user, groups = [] } = body ?? {};
  if (!isCognitoName(user)) {
    return sendJson(response, 400, {
      error: { code: 'invalid_request', message: 'body must be {"user":"<name>"}: 1-128 characters, no spaces' },
    });
  }
  if (!Array.isArray(groups) || groups.length > 25 || !groups.every(isCognitoName)) {
    return sendJson(response, 400, {
      error: {
        code: 'invalid_request',
        message: 'groups must be a list of at most 25 group names: 1-128 characters, no spaces',
      },
    });
  }
  sendJson(response, 200, await options.mintToken(user, [...new Set(groups)]), { 'cache-control': 'no-store' });
}

/** Cognito user and group names: 1-128 printable characters, no whitespace. */
function isCognitoName(value: unknown): value is string {
  return typeof value === 'string' && /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(value);
}

/** `/_local/s3/<bucket>/<key>`: the key is URL-decoded, so it may be sent with its slashes encoded or not. */
async function serveObject(buckets: BucketBrowser, pathname: string, response: ServerResponse): Promise<void> {
  const match = /^\/_local\/s3\/([^/]+)\/(.+)$/.exec(pathname);
  const location = match && decodedLocation(match[1]!, match[2]!);
  const object = location ? await buckets.read(location.bucket, location.key) : undefined;
  if (!object)
    return sendJson(
      response,
      404,
      { error: { code: 'NOT_FOUND', message: `${pathname} is not an object of a bucket of the stack` } },
      { 'cache-control': 'no-store' },
    );
  response.writeHead(200, {
    'content-type': object.contentType,
    'content-length': String(object.body.byteLength),
    ...OBJECT_HEADERS,
  });
  response.end(object.body);
}

function decodedLocation(bucket: string, key: string): { bucket: string; key: string } | undefined {
  try {
    return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(key) };
  } catch {
    return undefined; // malformed percent-encoding names no object
  }
}

async function serveStatic(webDir: string, pathname: string, response: ServerResponse): Promise<void> {
  const relative = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(webDir, relative);
  if (!file.startsWith(webDir)) return sendJson(response, 404, { error: { code: 'NOT_FOUND', message: pathname } });
  try {
    const content = await readFile(file);
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    response.end(content);
  } catch {
    sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `${pathname} is not a page of web/` } });
  }
}
