import { randomUUID } from 'node:crypto';
import { insertNote } from '../../adapters/notes-table.ts';
import { newNote, newNoteBody, noteItem, noteJson } from '../../domain/mobile/note.ts';
import { httpHandler, json, route } from '../shared/http.ts';
import { callerId } from '../shared/caller.ts';
import { NO_STORE, notesTable, refuseTooManyTerms } from './notes-http.ts';

/**
 * `POST /notes` `{headline, text}` -> 201 with the note and its server-generated `noteId`, owned by the
 * caller; 400 too_many_terms (nothing written) when it holds more distinct search terms than allowed.
 */
export const handler = httpHandler(
  {
    'POST /notes': route({
      accepts: ['json'],
      body: newNoteBody,
      handle: async ({ body, event }) => {
        refuseTooManyTerms(body);
        const note = newNote(callerId(event), randomUUID(), body, new Date());
        await insertNote(notesTable(), noteItem(note));
        return json(201, noteJson(note), { ...NO_STORE, Location: `/notes/${note.noteId}` });
      },
    }),
  },
  { maxBodyBytes: 64 * 1024 },
);
