import { editNote, readNote } from '../../adapters/notes-table.ts';
import type { EditOutcome, NoteKey } from '../../adapters/notes-table.ts';
import { editedContent, isNoteId, noteEditBody, noteJson } from '../../domain/mobile/note.ts';
import type { NoteEdit } from '../../domain/mobile/note.ts';
import { HttpError, httpHandler, json, route } from '../shared/http.ts';
import { callerId } from '../shared/caller.ts';
import { NO_STORE, noteOf, notesTable, refuseTooManyTerms } from './notes-http.ts';

// An edit of one field is checked against the note it was merged with; if another edit lands in between,
// it is merged and checked again (a few times, then the client is told to retry).
const MERGE_ATTEMPTS = 3;

/**
 * `PUT /notes/{noteId}` `{headline?, text?, version?}`: changes the caller's note and returns it with its
 * new version; 404 when there is no such note, 409 when `version` is given and the note has moved on,
 * 400 too_many_terms (nothing written) when the edited note would hold more distinct search terms than allowed.
 */
export const handler = httpHandler(
  {
    'PUT /notes/{noteId}': route({
      accepts: ['json'],
      body: noteEditBody,
      handle: async ({ body: edit, event }) => {
        const noteId = event.pathParameters?.noteId;
        const missing = () => new HttpError(404, 'note_not_found', `You have no note ${JSON.stringify(noteId ?? '')}`);
        if (!isNoteId(noteId)) throw missing();
        const outcome = await applyEdit({ UserId: callerId(event), NoteId: noteId }, edit);
        if (outcome.kind === 'missing') throw missing();
        if (outcome.kind === 'conflict') {
          throw new HttpError(
            409,
            'version_conflict',
            `The note is at version ${outcome.currentVersion}, not ${edit.version}: get it again and reapply your edit`,
            { currentVersion: outcome.currentVersion },
          );
        }
        return json(200, noteJson(noteOf(outcome.item)), NO_STORE);
      },
    }),
  },
  { maxBodyBytes: 64 * 1024 },
);

/**
 * Writes the edit only if the note it produces is within the term limit. An edit of both fields is the
 * whole new content; an edit of one is merged with the note as read, and written only at that version,
 * so the note checked is the note stored.
 */
async function applyEdit(key: NoteKey, { version, ...changes }: NoteEdit): Promise<EditOutcome> {
  if (changes.headline !== undefined && changes.text !== undefined) {
    refuseTooManyTerms({ headline: changes.headline, text: changes.text });
    return editNote(notesTable(), key, { ...changes, expectedVersion: version }, new Date());
  }
  for (let attempt = 1; ; attempt += 1) {
    const item = await readNote(notesTable(), key);
    if (!item) return { kind: 'missing' };
    const current = noteOf(item);
    if (version !== undefined && current.version !== version)
      return { kind: 'conflict', currentVersion: current.version };
    refuseTooManyTerms(editedContent(current, changes));
    const outcome = await editNote(notesTable(), key, { ...changes, expectedVersion: current.version }, new Date());
    // The note changed since it was read: with the client's version that is the client's conflict; without, merge again.
    if (outcome.kind !== 'conflict' || version !== undefined) return outcome;
    if (attempt === MERGE_ATTEMPTS)
      throw new HttpError(409, 'edit_contended', 'The note is being edited elsewhere at the same time: retry the edit');
  }
}
