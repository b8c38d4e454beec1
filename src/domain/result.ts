/**
 * The one answer shape of everything that may refuse its input (a parser, a decoder, a validator):
 * the value, or why not. `reason` is a sentence a person can act on unless a caller needs more.
 */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; reason: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E = string>(reason: E): { ok: false; reason: E } => ({ ok: false, reason });
