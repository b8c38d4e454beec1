import { editNote } from '../../adapters/notes-table.ts';
import { isNoteId, noteEditBody, noteJson } from '../../domain/mobile/note.ts';
import { HttpError, httpHandler, json, route } from '../shared/http.ts';
import { callerId } from '../shared/caller.ts';
import { NO_STORE, noteOf, notesTable } from './notes-http.ts';

/**
 * `PUT /notes/{noteId}` `{headline?, text?, version?}`: changes the caller's note and returns it with its
 * new version; 404 when there is no such note, 409 when `version` is given and the note has moved on.
 */
export const handler = httpHandler({
  'PUT /notes/{noteId}': route({
    accepts: ['json'], body: noteEditBody,
    handle: async ({ body: { version, ...changes }, event }) => {
      const userId = callerId(event);
      const noteId = event.pathParameters?.noteId;
      const missing = () => new HttpError(404, 'note_not_found', `You have no note ${JSON.stringify(noteId ?? '')}`);
      if (!isNoteId(noteId)) throw missing();
      const outcome = await editNote(notesTable(), { UserId: userId, NoteId: noteId }, { ...changes, expectedVersion: version }, new Date());
      if (outcome.kind === 'missing') throw missing();
      if (outcome.kind === 'conflict') {
        throw new HttpError(409, 'version_conflict', `The note is at version ${outcome.currentVersion}, not ${version}: get it again and reapply your edit`, { currentVersion: outcome.currentVersion });
      }
      return json(200, noteJson(noteOf(outcome.item)), NO_STORE);
    },
  }),
}, { maxBodyBytes: 64 * 1024 });
