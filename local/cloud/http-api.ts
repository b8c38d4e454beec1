import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { readBody } from '../http-util.ts';
import type { CorsModel, RouteModel } from './model.ts';
import { refused } from '../services/loopback-guard.ts';

/** What the gateway needs from the runtime: a synchronous invoke. */
export interface Invoker {
  invoke(
    name: string,
    event: unknown,
  ): Promise<{ ok: true; payload: unknown } | { ok: false; timedOut: boolean; error: { errorMessage: string } }>;
}

export interface HttpApiOptions {
  routes: RouteModel[];
  cors?: CorsModel;
  invoker: Invoker;
  /** Runs before the function: e.g. the JWT authorizer. Returns a response to short-circuit. */
  authorize?: (
    route: RouteModel,
    headers: Record<string, string>,
  ) => Promise<{ status: number; claims?: Record<string, unknown> }>;
  timeoutMs?: number;
}

const INTEGRATION_TIMEOUT_MS = 29_000;
const PAYLOAD_LIMIT_BYTES = 10 * 1024 * 1024;
const TEXT_TYPES = /^(text\/|application\/(json|.*\+json|xml|.*\+xml|javascript|graphql))/i;

/**
 * An HTTP API (payload format 2.0) in front of the local functions. It answers only to a loopback
 * name in `Host` (403 otherwise): a page whose DNS name is rebound to 127.0.0.1 cannot use it.
 */
export function httpApiListener(options: HttpApiOptions): RequestListener {
  return (request, response) => {
    if (refused(request, response)) return;
    handle(request, response, options).catch((error: unknown) => {
      console.error('[http-api]', error);
      if (!response.headersSent) reply(response, 500, { message: 'Internal Server Error' });
    });
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, options: HttpApiOptions): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = (request.method ?? 'GET').toUpperCase();
  const origin = request.headers.origin;
  const corsHeaders = options.cors && origin ? corsResponseHeaders(options.cors, origin) : {};
  if (method === 'OPTIONS' && options.cors && request.headers['access-control-request-method']) {
    response.writeHead(204, { ...corsHeaders, ...preflightHeaders(options.cors) });
    return void response.end();
  }
  const match = matchRoute(options.routes, method, url.pathname);
  if (!match) return reply(response, 404, { message: 'Not Found' }, corsHeaders);
  let body: Buffer;
  try {
    body = await readBody(request, PAYLOAD_LIMIT_BYTES);
  } catch {
    return reply(response, 413, { message: 'Request Entity Too Large' }, corsHeaders);
  }
  const headers = flattenHeaders(request);
  let claims: Record<string, unknown> | undefined;
  if (match.route.authorizer && options.authorize) {
    const decision = await options.authorize(match.route, headers);
    if (decision.status !== 200)
      return reply(
        response,
        decision.status,
        { message: decision.status === 401 ? 'Unauthorized' : 'Forbidden' },
        corsHeaders,
      );
    claims = decision.claims;
  }
  const event = toEvent(request, url, headers, body, match, claims);
  const result = await withTimeout(
    options.invoker.invoke(match.route.functionName, event),
    options.timeoutMs ?? INTEGRATION_TIMEOUT_MS,
  );
  if (result === 'timeout') return reply(response, 503, { message: 'Service Unavailable' }, corsHeaders);
  // A function error, or an invoke Lambda refused (throttled over the reserved concurrency): 500, as the HTTP API answers.
  if (!result.ok) return reply(response, 500, { message: 'Internal Server Error' }, corsHeaders);
  writeFunctionResponse(response, result.payload, corsHeaders);
}

interface RouteMatch {
  route: RouteModel;
  pathParameters: Record<string, string>;
}

/** Most specific route first: exact paths, then parameters, then greedy {proxy+}, then $default. */
export function matchRoute(routes: RouteModel[], method: string, path: string): RouteMatch | undefined {
  const candidates = routes
    .filter((route) => route.method === method || route.method === 'ANY')
    .map((route) => ({ route, pathParameters: matchPath(route.path, path) }))
    .filter((m): m is RouteMatch => m.pathParameters !== undefined);
  const score = (route: RouteModel) =>
    (route.path === '$default' ? 3 : route.path.includes('+}') ? 2 : route.path.includes('{') ? 1 : 0) * 10 +
    (route.method === 'ANY' ? 1 : 0);
  return candidates.sort((a, b) => score(a.route) - score(b.route))[0];
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  if (template === '$default') return {};
  const templateParts = template.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  const parameters: Record<string, string> = {};
  for (let i = 0; i < templateParts.length; i += 1) {
    const part = templateParts[i]!;
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      if (i >= pathParts.length) return undefined;
      parameters[greedy[1]!] = pathParts.slice(i).map(decodeURIComponent).join('/');
      return parameters;
    }
    const value = pathParts[i];
    if (value === undefined) return undefined;
    const name = /^\{(.+)\}$/.exec(part)?.[1];
    if (name) parameters[name] = safeDecode(value);
    else if (part !== value) return undefined;
  }
  return templateParts.length === pathParts.length ? parameters : undefined;
}

const safeDecode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function toEvent(
  request: IncomingMessage,
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  match: RouteMatch,
  claims?: Record<string, unknown>,
) {
  const now = new Date();
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '');
  const cookies = request.headers.cookie?.split(/;\s*/).filter(Boolean);
  return {
    version: '2.0',
    routeKey: match.route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(match.pathParameters).length ? { pathParameters: match.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: match.route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    ...(body.length
      ? { body: isText ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !isText }
      : { isBase64Encoded: false }),
  };
}

/** Payload 2.0 responses: an object with statusCode is used as is; anything else becomes a 200 JSON body. */
function writeFunctionResponse(response: ServerResponse, payload: unknown, corsHeaders: Record<string, string>): void {
  const structured =
    payload && typeof payload === 'object' && 'statusCode' in payload
      ? (payload as {
          statusCode: number;
          headers?: Record<string, string>;
          body?: string;
          isBase64Encoded?: boolean;
          cookies?: string[];
        })
      : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload ?? null) };
  const headers: Record<string, string | string[]> = { ...corsHeaders, ...structured.headers };
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  const body =
    structured.body === undefined
      ? ''
      : structured.isBase64Encoded
        ? Buffer.from(structured.body, 'base64')
        : structured.body;
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type') && body.length)
    headers['content-type'] = 'application/json';
  response.writeHead(structured.statusCode, headers);
  response.end(body);
}

function corsResponseHeaders(cors: CorsModel, origin: string): Record<string, string> {
  const allowed = cors.allowOrigins.includes('*') ? '*' : cors.allowOrigins.includes(origin) ? origin : undefined;
  if (!allowed) return {};
  return {
    'access-control-allow-origin': allowed,
    ...(cors.exposeHeaders.length ? { 'access-control-expose-headers': cors.exposeHeaders.join(',') } : {}),
    ...(cors.allowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
    ...(allowed !== '*' ? { vary: 'origin' } : {}),
  };
}

function preflightHeaders(cors: CorsModel): Record<string, string> {
  return {
    'access-control-allow-methods': cors.allowMethods.join(','),
    'access-control-allow-headers': cors.allowHeaders.join(','),
    ...(cors.maxAge !== undefined ? { 'access-control-max-age': String(cors.maxAge) } : {}),
  };
}

function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
