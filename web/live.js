// Pure helpers of the results page's live connection (no DOM, no sockets): unit-tested in test/unit/web.

/** Waits before reconnecting after `attempt` failed tries: 1 s doubling to 30 s, with up to 20% jitter so viewers do not reconnect in step. */
export function reconnectDelayMs(attempt, random = Math.random) {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (1 + 0.2 * random()));
}

/** A frame of the results WebSocket API: `{type: 'totals', results}`, `{type: 'error', error}`, or null when it is neither. */
export function parseFrame(text) {
  let frame;
  try {
    frame = JSON.parse(text);
  } catch {
    return null;
  }
  if (frame?.type === 'totals' && isResults(frame.results)) return { type: 'totals', results: frame.results };
  if (frame?.type === 'error' && typeof frame.error?.message === 'string') return { type: 'error', error: frame.error };
  return null;
}

/** The shape GET /results answers and totals frames carry. */
export function isResults(body) {
  return Boolean(
    body &&
    Array.isArray(body.candidates) &&
    Number.isFinite(body.total) &&
    body.candidates.every((c) => c && typeof c.candidate === 'string' && Number.isFinite(c.votes)),
  );
}

/** The message that asks for the current totals. */
export const GET_TOTALS = JSON.stringify({ action: 'getTotals' });
