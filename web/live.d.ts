// Types of live.js for the unit tests (the browser loads live.js itself; there is no build step).
export interface Results {
  candidates: Array<{ candidate: string; votes: number }>;
  total: number;
}
export function reconnectDelayMs(attempt: number, random?: () => number): number;
export function parseFrame(
  text: string,
): { type: 'totals'; results: Results } | { type: 'error'; error: { code?: string; message: string } } | null;
export function isResults(body: unknown): body is Results;
export const GET_TOTALS: string;
