import { errorBody } from '../../domain/http/error.ts';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { MiddlewareObj, Request } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpUrlencodeBodyParser from '@middy/http-urlencode-body-parser';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { bodyByteLength, mediaType } from '../../domain/http/body.ts';
import { traceHandler } from './handler.ts';
import { logger } from './logger.ts';

/**
 * The one way HTTP API functions are built: a table of routes (by API Gateway routeKey) wrapped in
 * middy with, in order: the X-Ray handler subsegment, Powertools logging with the Lambda context, header normalisation, the route's
 * `authorize` check (a token's claims, a signature; before anything of the body is read), a body size
 * guard (before any parsing), a body parser chosen by Content-Type among the formats the route accepts,
 * zod validation of the parsed body, and one error handler that turns every failure into
 * `{"error":{"code","message","details"?}}` — 4xx for bad input, a bare 500 for our own faults.
 */

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResponse = APIGatewayProxyStructuredResultV2;
export type BodyFormat = 'json' | 'form';

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024;

/** A failure the client caused (or must know about): answered with its status, code and details. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface HttpRequest<Body> {
  body: Body;
  event: HttpEvent;
  context: Context;
}

export interface Route<Body = unknown> {
  /** Verifies who is calling before the body is read (a token's claims, a signature): throws HttpError. */
  authorize?(event: HttpEvent): Promise<void> | void;
  /** The body formats the route accepts, by Content-Type; without it the route reads no body. */
  accepts?: readonly BodyFormat[];
  /** Validates the parsed body: a failure is a 400 with the issues as details. */
  body?: z.ZodType<Body>;
  handle(request: HttpRequest<Body>): Promise<HttpResponse>;
}

/** Declares a route (lets TypeScript infer the body type from the schema). */
export function route<Body>(definition: Route<Body>): Route<Body> {
  return definition;
}

export function json(statusCode: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

export function text(statusCode: number, body: string, contentType: string): HttpResponse {
  return { statusCode, headers: { 'Content-Type': contentType }, body };
}

export function errorResponse(status: number, code: string, message: string, details?: unknown): HttpResponse {
  return json(status, errorBody(code, message, details));
}

export function httpHandler(routes: Record<string, Route>, options: { maxBodyBytes?: number } = {}) {
  const routeOf = (event: HttpEvent): Route | undefined =>
    Object.hasOwn(routes, event.routeKey) ? routes[event.routeKey] : undefined;
  return middy<HttpEvent, HttpResponse>()
    .use(traceHandler())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlationId())
    .use(httpHeaderNormalizer())
    .use({
      before: async ({ event }) => {
        await routeOf(event)?.authorize?.(event);
      },
    })
    .use(bodySizeGuard(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES))
    .use(bodyParser((event) => routeOf(event)?.accepts ?? []))
    .use(errorResponder())
    .handler(async (event, context) => {
      const target = routeOf(event);
      if (!target) throw new HttpError(404, 'not_found', `No route ${event.routeKey}`);
      return target.handle({ body: validBody(target, event.body), event, context });
    });
}

type HttpMiddleware = MiddlewareObj<HttpEvent, HttpResponse>;

/** Tags this invocation's logs with the API Gateway request id (reset after it by resetKeys). */
function correlationId(): HttpMiddleware {
  return {
    before: ({ event }) => {
      if (event.requestContext?.requestId) logger.setCorrelationId(event.requestContext.requestId);
    },
  };
}

function bodySizeGuard(maxBytes: number): HttpMiddleware {
  return {
    before: ({ event }) => {
      if (bodyByteLength(event.body, event.isBase64Encoded) > maxBytes) {
        throw new HttpError(413, 'payload_too_large', `The request body must be at most ${maxBytes} bytes`, {
          maxBytes,
        });
      }
    },
  };
}

const PARSERS: Record<
  BodyFormat,
  { label: string; mediaType: string; matches: (type: string) => boolean; parser: MiddlewareObj<never> }
> = {
  json: {
    label: 'JSON',
    mediaType: 'application/json',
    matches: (type) => /^application\/([\w.-]+\+)?json$/.test(type),
    parser: httpJsonBodyParser(),
  },
  form: {
    label: 'form-encoded',
    mediaType: 'application/x-www-form-urlencoded',
    matches: (type) => type === 'application/x-www-form-urlencoded',
    parser: httpUrlencodeBodyParser(),
  },
};

/** Picks the parser by Content-Type; middy's parsers do the parsing (and base64 decoding). */
function bodyParser(acceptsOf: (event: HttpEvent) => readonly BodyFormat[]): HttpMiddleware {
  return {
    before: async (request) => {
      const accepts = acceptsOf(request.event);
      if (accepts.length === 0) return;
      const type = mediaType(request.event.headers?.['content-type']);
      const format = accepts.find((candidate) => type !== undefined && PARSERS[candidate].matches(type));
      if (!format) {
        const accepted = accepts.map((candidate) => PARSERS[candidate].mediaType);
        throw new HttpError(415, 'unsupported_media_type', `Content-Type must be ${accepted.join(' or ')}`, {
          accepted,
        });
      }
      // The parsers match the header themselves, case-sensitively: hand them the normalised type.
      request.event.headers = { ...request.event.headers, 'content-type': type! };
      try {
        await PARSERS[format].parser.before!(request as unknown as Request<never>);
      } catch {
        throw new HttpError(400, 'malformed_body', `The request body is not valid ${PARSERS[format].label}`);
      }
    },
  };
}

function validBody(target: Route, body: unknown): unknown {
  if (!target.body) return body;
  const result = target.body.safeParse(body);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  throw new HttpError(400, 'invalid_request', details.map((detail) => detail.message).join('; '), details);
}

function errorResponder(): HttpMiddleware {
  return {
    onError: (request) => {
      const { error } = request;
      if (error instanceof HttpError) {
        logger.info('request rejected', { status: error.status, code: error.code });
        request.response = errorResponse(error.status, error.code, error.message, error.details);
        return;
      }
      logger.error('request failed', error as Error);
      request.response = errorResponse(500, 'internal_error', 'Internal server error');
    },
  };
}
