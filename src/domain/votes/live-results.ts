import type { Results } from './results.ts';

/** The largest message a viewer may send: a getTotals request is a few dozen bytes. */
export const MAX_VIEWER_MESSAGE_BYTES = 1024;

/** Frames the results WebSocket API sends: the totals (as GET /results answers them), or an error. */
export type ServerFrame =
  { type: 'totals'; results: Results } | { type: 'error'; error: { code: string; message: string } };

export type ViewerRequest = { ok: true; action: 'getTotals' } | { ok: false; code: string; message: string };

/**
 * What a viewer's message asks for. Only `{"action": "getTotals"}` is understood; anything else (too
 * large, not JSON, another action) is answered with an error frame, never with a closed connection.
 */
export function parseViewerMessage(body: string | undefined): ViewerRequest {
  const text = body ?? '';
  if (Buffer.byteLength(text, 'utf8') > MAX_VIEWER_MESSAGE_BYTES) {
    return {
      ok: false,
      code: 'message_too_large',
      message: `Messages are limited to ${MAX_VIEWER_MESSAGE_BYTES} bytes`,
    };
  }
  const action = actionOf(text);
  if (action === 'getTotals') return { ok: true, action };
  return action === undefined
    ? { ok: false, code: 'invalid_message', message: 'Send a JSON object such as {"action":"getTotals"}' }
    : { ok: false, code: 'unknown_action', message: `Unknown action; the only action is "getTotals"` };
}

/** The message's `action` as a string, or undefined when it is not a JSON object with one. */
function actionOf(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const action = (value as { action?: unknown }).action;
    return typeof action === 'string' ? action : undefined;
  } catch {
    return undefined;
  }
}

export const totalsFrame = (results: Results): ServerFrame => ({ type: 'totals', results });
export const errorFrame = (code: string, message: string): ServerFrame => ({ type: 'error', error: { code, message } });

/**
 * The totals a batch of aggregates-table images shows, when it shows every configured candidate (the
 * last image of each wins, images in stream order); undefined when one is missing and the table must be read.
 */
export function totalsFromImages(
  candidates: readonly string[],
  images: ReadonlyArray<Record<string, unknown>>,
): Map<string, number> | undefined {
  const totals = new Map<string, number>();
  for (const image of images) {
    const candidate = image.Candidate;
    if (typeof candidate === 'string' && candidates.includes(candidate))
      totals.set(candidate, Number(image.Votes ?? 0));
  }
  return candidates.every((candidate) => totals.has(candidate)) ? totals : undefined;
}

/** Time-to-live of a connection's row: API Gateway closes every connection after two hours. */
export function connectionExpiry(connectedAtMs: number): number {
  return Math.ceil(connectedAtMs / 1000) + 2 * 60 * 60;
}
