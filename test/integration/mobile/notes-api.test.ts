import { describe, expect, it } from 'vitest';
import { callNotes, createNote, uniqueUser, type NoteJson } from '../../support/notes.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
type ErrorJson = { error: { code: string; message: string; details?: unknown } };

const getNote = (user: string | undefined, noteId: string) =>
  callNotes<NoteJson & ErrorJson>('getNote', 'GET /notes/{noteId}', { user, noteId });
const updateNote = (user: string, noteId: string, body: unknown) =>
  callNotes<NoteJson & ErrorJson>('updateNote', 'PUT /notes/{noteId}', { user, noteId, body });
const deleteNote = (user: string, noteId: string) =>
  callNotes('deleteNote', 'DELETE /notes/{noteId}', { user, noteId });

describe('notes API functions (invoked with authorizer claims on the local cloud)', () => {
  it('creates a note with a server-generated id, returns it, edits it and deletes it', async () => {
    const user = uniqueUser('crud');
    const created = await createNote(user, { headline: '  Groceries ', text: 'milk, eggs' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      noteId: expect.stringMatching(UUID),
      headline: 'Groceries',
      text: 'milk, eggs',
      version: 1,
    });
    expect(created.body.createdAt).toBe(created.body.updatedAt);
    const { noteId } = created.body;

    expect(await getNote(user, noteId)).toEqual({ status: 200, body: created.body });
    const edited = await updateNote(user, noteId, { text: 'milk, eggs, bread', version: 1 });
    expect(edited).toMatchObject({
      status: 200,
      body: { noteId, headline: 'Groceries', text: 'milk, eggs, bread', version: 2, createdAt: created.body.createdAt },
    });
    expect(edited.body.updatedAt >= created.body.updatedAt).toBe(true);
    expect((await getNote(user, noteId)).body.version).toBe(2);

    expect((await deleteNote(user, noteId)).status).toBe(204);
    expect((await deleteNote(user, noteId)).status).toBe(204);
    expect(await getNote(user, noteId)).toMatchObject({ status: 404, body: { error: { code: 'note_not_found' } } });
  });

  it('refuses an edit at a version the note has moved past (409) and an edit of no note (404)', async () => {
    const user = uniqueUser('version');
    const { body: note } = await createNote(user, { headline: 'Plan', text: 'v1' });
    await updateNote(user, note.noteId, { text: 'v2' });
    const stale = await updateNote(user, note.noteId, { text: 'stale edit', version: 1 });
    expect(stale).toMatchObject({
      status: 409,
      body: { error: { code: 'version_conflict', details: { currentVersion: 2 } } },
    });
    expect((await getNote(user, note.noteId)).body.text).toBe('v2');
    expect((await updateNote(user, '00000000-0000-4000-8000-000000000000', { text: 'x' })).status).toBe(404);
  });

  it("never lets a second user read, edit or delete the first user's note", async () => {
    const [alice, bob] = [uniqueUser('alice'), uniqueUser('bob')];
    const { body: note } = await createNote(alice, { headline: 'Private', text: 'my secret' });
    expect((await getNote(bob, note.noteId)).status).toBe(404);
    expect((await updateNote(bob, note.noteId, { text: 'hijacked' })).status).toBe(404);
    expect((await deleteNote(bob, note.noteId)).status).toBe(204);
    expect(await getNote(alice, note.noteId)).toMatchObject({ status: 200, body: { text: 'my secret' } });
  });

  it('takes the owner only from the verified claims, never from the body', async () => {
    const [alice, bob] = [uniqueUser('owner'), uniqueUser('other')];
    const { body: note } = await createNote(alice, { headline: 'Mine', text: 'x', userId: bob } as never);
    expect((await getNote(alice, note.noteId)).status).toBe(200);
    expect((await getNote(bob, note.noteId)).status).toBe(404);
  });

  it('answers 401 JSON to a request without a verified user', async () => {
    const response = await callNotes<ErrorJson>('createNote', 'POST /notes', { body: { headline: 'h', text: 't' } });
    expect(response).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect((await getNote(undefined, '00000000-0000-4000-8000-000000000000')).status).toBe(401);
  });

  it.each([
    ['no headline', { text: 'x' }, /headline/],
    ['an empty headline', { headline: '  ', text: 'x' }, /headline must not be empty/],
    ['a headline over 200 characters', { headline: 'h'.repeat(201), text: 'x' }, /at most 200/],
    ['a text over 10000 characters', { headline: 'h', text: 't'.repeat(10_001) }, /at most 10000/],
    ['a text that is not a string', { headline: 'h', text: 42 }, /text must be a string/],
  ])('answers 400 with the reason to a note with %s', async (_label, body, reason) => {
    const response = await callNotes<ErrorJson>('createNote', 'POST /notes', { user: uniqueUser('bad'), body });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(reason) });
  });

  it('answers 404 for a note id that cannot be one, and 400 for an empty edit', async () => {
    const user = uniqueUser('ids');
    expect((await getNote(user, 'search')).status).toBe(404);
    const { body: note } = await createNote(user, { headline: 'h', text: 't' });
    expect(await updateNote(user, note.noteId, { version: 1 })).toMatchObject({
      status: 400,
      body: { error: { message: /headline, text or both/ } },
    });
  });
});
