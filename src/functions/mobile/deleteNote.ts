import { removeNote } from '../../adapters/notes-table.ts';
import { isNoteId } from '../../domain/mobile/note.ts';
import { httpHandler, route } from '../shared/http.ts';
import { callerId } from '../shared/caller.ts';
import { notesTable } from './notes-http.ts';

/** `DELETE /notes/{noteId}` -> 204 whether or not the caller had the note: deleting twice is not an error. */
export const handler = httpHandler({
  'DELETE /notes/{noteId}': route({
    handle: async ({ event }) => {
      const userId = callerId(event);
      const noteId = event.pathParameters?.noteId;
      if (isNoteId(noteId)) await removeNote(notesTable(), { UserId: userId, NoteId: noteId });
      return { statusCode: 204 };
    },
  }),
});
