import { noteFromItem, termLimitExceeded, type Note } from '../../domain/mobile/note.ts';
import { envConfig, string } from '../shared/config.ts';
import { HttpError } from '../shared/http.ts';

/** The Notes table of the note functions (set in serverless.yml). */
const config = envConfig({ notesTable: string('NOTES_TABLE') });
export const notesTable = () => config().notesTable;

/** Notes are the caller's own data: never cached by browsers or proxies. */
export const NO_STORE = { 'Cache-Control': 'no-store' } as const;

/** A Notes item as a note; one that is not is our fault (a 500), never the client's. */
export function noteOf(item: Record<string, unknown>): Note {
  const parsed = noteFromItem(item);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

/** 400 too_many_terms when the note, as it would be stored, has more distinct search terms than allowed. */
export function refuseTooManyTerms(content: { headline: string; text: string }): void {
  const exceeded = termLimitExceeded(content);
  if (exceeded) {
    throw new HttpError(
      400,
      'too_many_terms',
      `A note may hold at most ${exceeded.limit} distinct search terms (words); this one would hold ${exceeded.terms}: shorten it or split it`,
      exceeded,
    );
  }
}
