import { postingsOf } from '../../adapters/notes-search-index.ts';
import { readNotes } from '../../adapters/notes-table.ts';
import { parseSearchQuery, rankMatches, snippet } from '../../domain/mobile/search.ts';
import { userTermKey } from '../../domain/mobile/search-index.ts';
import { termWeights } from '../../domain/mobile/search-terms.ts';
import { envConfig, string } from '../shared/config.ts';
import { HttpError, httpHandler, json, route } from '../shared/http.ts';
import { callerId } from '../shared/caller.ts';
import { NO_STORE, noteOf, notesTable } from './notes-http.ts';

const config = envConfig({ indexTable: string('SEARCH_INDEX_TABLE') });

/**
 * `GET /notes/search?q=&limit=`: the caller's notes holding every query term, best first (weights
 * summed; headline words count more), ties newest first. One Query per term on the caller's index
 * partitions, then one BatchGetItem for the notes shown. A note whose current text no longer holds a
 * term (the index lags an edit by moments) is left out.
 */
export const handler = httpHandler({
  'GET /notes/search': route({
    handle: async ({ event }) => {
      const userId = callerId(event);
      const query = parseSearchQuery(event.queryStringParameters ?? {});
      if (!query.ok) throw new HttpError(400, 'invalid_query', query.reason, { field: query.field });
      const { terms, limit } = query.value;
      const postings = await Promise.all(
        terms.map((term) => postingsOf(config().indexTable, userTermKey(userId, term))),
      );
      const matches = rankMatches(postings);
      const top = matches.slice(0, limit);
      const notes = new Map(
        (
          await readNotes(
            notesTable(),
            top.map(({ noteId }) => ({ UserId: userId, NoteId: noteId })),
          )
        ).map((item) => {
          const note = noteOf(item);
          return [note.noteId, note];
        }),
      );
      const results = top.flatMap(({ noteId, score }) => {
        const note = notes.get(noteId);
        if (!note || !holdsAll(termWeights(note), terms)) return [];
        return [
          { noteId, headline: note.headline, snippet: snippet(note.text, terms), score, updatedAt: note.updatedAt },
        ];
      });
      return json(200, { terms, total: matches.length, notes: results }, NO_STORE);
    },
  }),
});

const holdsAll = (weights: Map<string, number>, terms: readonly string[]) => terms.every((term) => weights.has(term));
