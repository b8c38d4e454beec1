// Types of format.js for the unit tests (the browser loads format.js itself; there is no build step).
export function formatCount(value: number | null | undefined): string;
export function formatLag(ms: number | null | undefined): string;
export function errorMessage(body: unknown, status: number): string;
