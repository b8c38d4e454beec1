import { readNote } from '../../adapters/notes-table.ts';
import { isNoteId, noteJson } from '../../domain/mobile/note.ts';
import { HttpError, httpHandler, json, route } from '../shared/http.ts';
import { callerId } from '../shared/caller.ts';
import { NO_STORE, noteOf, notesTable } from './notes-http.ts';

/** `GET /notes/{noteId}`: the caller's note; 404 when there is none (another user's note is none). */
export const handler = httpHandler({
  'GET /notes/{noteId}': route({
    handle: async ({ event }) => {
      const userId = callerId(event);
      const noteId = event.pathParameters?.noteId;
      const item = isNoteId(noteId) ? await readNote(notesTable(), { UserId: userId, NoteId: noteId }) : undefined;
      if (!item) throw new HttpError(404, 'note_not_found', `You have no note ${JSON.stringify(noteId ?? '')}`);
      return json(200, noteJson(noteOf(item)), NO_STORE);
    },
  }),
});
