import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Tracker } from '../../functions/tracking/track-hit.ts';
import { errorResponse, HttpError, json } from '../../functions/shared/http.ts';
import type { HttpResponse } from '../../functions/shared/http.ts';
import { logger } from '../../functions/shared/logger.ts';

const EVENT_PATH = /^\/event\/([^/]+)$/;

/**
 * The tracking server's HTTP surface: `GET /event/{programId}` (the same code path as the trackEvent
 * Lambda) and `GET /health/check`. Errors use the JSON error shape of the HTTP API.
 */
export function createTrackingServer(tracker: Tracker): Server {
  return createServer((request, response) => {
    answer(tracker, request).then((result) => send(response, result), (error: unknown) => send(response, failure(error)));
  });
}

async function answer(tracker: Tracker, request: IncomingMessage): Promise<HttpResponse> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/health/check') return json(200, { status: 'ok' });
  const match = EVENT_PATH.exec(path);
  if (!match) throw new HttpError(404, 'not_found', `No route ${request.method} ${path}`);
  if (request.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'Use GET for tracking hits');
  const event = await tracker.track({ programId: decodePathSegment(match[1]!), userAgent: request.headers['user-agent'] ?? '' });
  return json(200, event, { 'Cache-Control': 'no-store' });
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'invalid_program_id', 'The program id is not valid percent-encoding');
  }
}

function failure(error: unknown): HttpResponse {
  if (error instanceof HttpError) return errorResponse(error.status, error.code, error.message, error.details);
  logger.error('tracking hit failed', error as Error);
  return errorResponse(500, 'internal_error', 'Internal server error');
}

function send(response: ServerResponse, result: HttpResponse): void {
  response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  response.end(result.body);
}
