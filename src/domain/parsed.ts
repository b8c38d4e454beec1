// What the domains share to judge untrusted input: how a refused input is quoted, and the window of
// event times the pipelines accept. (The answer shape is Result, in result.ts.)

/** An input as quoted in a refusal reason: its JSON, cut to 40 characters. */
export const shown = (input: unknown) => {
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

/** Event times before this are refused (a wrong clock or unit). */
export const EARLIEST_MS = Date.UTC(2000, 0, 1);
/** How far ahead of the processing time an event may be (producer clock skew). */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;
