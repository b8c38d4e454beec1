// Pure formatting helpers shared by the pages (no DOM), unit-tested in test/unit/web.

const EMPTY = '—';

/** A whole count, or a dash when the value is missing. Plain digits keep the text easy to read back. */
export function formatCount(value) {
  return Number.isFinite(value) ? String(Math.round(value)) : EMPTY;
}

/** An iterator lag in milliseconds as people read it: "0 ms", "850 ms", "4.2 s", "3 min 5 s", "2 h 4 min". */
export function formatLag(ms) {
  if (!Number.isFinite(ms) || ms < 0) return EMPTY;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** The message of an API error body `{"error":{"message"}}`, else a fallback naming the HTTP status. */
export function errorMessage(body, status) {
  const message =
    body && typeof body === 'object' && body.error && typeof body.error.message === 'string' ? body.error.message : '';
  return message || `HTTP ${status}`;
}
