import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { BatcherFull } from '../../adapters/kinesis-batcher.ts';
import { errorBody } from '../../domain/http/error.ts';
import { HitRefused } from '../../services/tracking/track-hit.ts';
import type { Tracker } from '../../services/tracking/track-hit.ts';
import { logger } from './logger.ts';

const EVENT_PATH = /^\/event\/([^/]+)$/;
/** How long a client should wait after a 503 (the batcher was full): Kinesis usually catches up within a second. */
const RETRY_AFTER_S = '1';

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A failure the client caused: answered with its status and the JSON error shape. */
class ClientError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * The tracking server's HTTP surface: `GET /event/{programId}` (the same code path as the trackEvent
 * Lambda) and `GET /health/check`. Errors use the JSON error shape of the HTTP API.
 */
export function createTrackingServer(tracker: Tracker): Server {
  return createServer((request, response) => {
    answer(tracker, request).then(
      (reply) => send(response, reply),
      (error: unknown) => send(response, failure(error)),
    );
  });
}

async function answer(tracker: Tracker, request: IncomingMessage): Promise<Reply> {
  const path = pathOf(request.url ?? '/');
  if (path === '/health/check') return { status: 200, body: { status: 'ok' } };
  const match = EVENT_PATH.exec(path);
  if (!match) throw new ClientError(404, 'not_found', `No route ${request.method} ${path}`);
  if (request.method !== 'GET') throw new ClientError(405, 'method_not_allowed', 'Use GET for tracking hits');
  const event = await tracker.track({
    programId: decodePathSegment(match[1]!),
    userAgent: request.headers['user-agent'] ?? '',
  });
  return { status: 200, body: event, headers: { 'Cache-Control': 'no-store' } };
}

/** The path of a request target without its query (cheaper than a URL object on every hit). */
function pathOf(target: string): string {
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ClientError(400, 'invalid_program_id', 'The program id is not valid percent-encoding');
  }
}

function failure(error: unknown): Reply {
  if (error instanceof ClientError || error instanceof HitRefused)
    return { status: error.status, body: errorBody(error.code, error.message) };
  if (error instanceof BatcherFull) {
    return {
      status: 503,
      body: errorBody('overloaded', `The tracker is busy; retry after ${RETRY_AFTER_S} s`),
      headers: { 'Retry-After': RETRY_AFTER_S },
    };
  }
  logger.error('tracking hit failed', error as Error);
  return { status: 500, body: errorBody('internal_error', 'Internal server error') };
}

function send(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers });
  response.end(JSON.stringify(reply.body));
}
