import { describe, expect, it } from 'vitest';
import { drainQueue, eventually, explainedByMapping, invokeFunction } from '../../support/cloud.ts';
import {
  callNotes,
  createNote,
  indexEntries,
  indexOfNote,
  noteImage,
  notesStreamRecord,
  searchNotes,
  uniqueUser,
  type NoteJson,
} from '../../support/notes.ts';

// Creating a note through createNote writes Notes; the local cloud's Notes stream mapping runs
// indexNotes, so search results appear moments later: poll with `eventually`.
const found = async (user: string, q: string) => (await searchNotes(user, q)).body.notes.map((note) => note.noteId);
const indexed = (user: string, noteId: string) =>
  explainedByMapping(
    'indexNotes',
    eventually(async () => expect(await indexOfNote(user, noteId)).not.toEqual([])),
  );

describe('indexNotes and searchNotes (Notes stream -> NotesSearchIndex -> search)', () => {
  it('finds notes holding every query term, headline matches first, whatever the case and accents', async () => {
    const user = uniqueUser('search');
    const { body: dessert } = await createNote(user, {
      headline: 'Crème brûlée',
      text: 'Cream, eggs, sugar. Bake slowly.',
    });
    const { body: shopping } = await createNote(user, {
      headline: 'Shopping',
      text: 'creme fraiche, eggs, flour; no brulee torch yet',
    });
    const { body: other } = await createNote(user, { headline: 'Car', text: 'eggs are not car parts' });
    await indexed(user, other.noteId);
    await eventually(async () => expect(await found(user, 'CREME Brulee')).toEqual([dessert.noteId, shopping.noteId]));
    expect(await found(user, 'eggs')).toHaveLength(3);
    expect(await found(user, 'eggs car')).toEqual([other.noteId]);
    expect(await found(user, 'eggs nothing-like-this')).toEqual([]);
    const result = await searchNotes(user, 'brûlée', 1);
    expect(result.body).toMatchObject({
      terms: ['brulee'],
      total: 2,
      notes: [
        { noteId: dessert.noteId, headline: 'Crème brûlée', score: 3, snippet: 'Cream, eggs, sugar. Bake slowly.' },
      ],
    });
  });

  it("never finds another user's notes", async () => {
    const [alice, bob] = [uniqueUser('alice'), uniqueUser('bob')];
    const { body: note } = await createNote(alice, { headline: 'Surprise party', text: 'for bob, on friday' });
    await eventually(async () => expect(await found(alice, 'surprise party')).toEqual([note.noteId]));
    expect(await found(bob, 'surprise party')).toEqual([]);
    expect(await found(bob, 'surprise')).toEqual([]);
  });

  it('removes the old terms of an edited note from search, and a deleted note entirely', async () => {
    const user = uniqueUser('edit');
    const { body: note } = await createNote(user, { headline: 'Trip', text: 'Lisbon in May' });
    await eventually(async () => expect(await found(user, 'lisbon')).toEqual([note.noteId]));
    const edited = await callNotes<NoteJson>('updateNote', 'PUT /notes/{noteId}', {
      user,
      noteId: note.noteId,
      body: { text: 'Porto in June' },
    });
    expect(edited.status).toBe(200);
    await eventually(async () => expect(await found(user, 'porto june')).toEqual([note.noteId]));
    await eventually(async () => expect(await indexEntries(user, 'lisbon')).toEqual([]));
    expect(await found(user, 'lisbon')).toEqual([]);
    expect(await found(user, 'trip')).toEqual([note.noteId]);

    expect((await callNotes('deleteNote', 'DELETE /notes/{noteId}', { user, noteId: note.noteId })).status).toBe(204);
    await eventually(async () => expect(await indexOfNote(user, note.noteId)).toEqual([]));
    expect(await found(user, 'trip')).toEqual([]);
  });

  it('keeps the index equal to the current note when stream records are replayed late', async () => {
    const user = uniqueUser('replay');
    const { body: v1 } = await createNote(user, { headline: 'Recipe', text: 'basil tomato' });
    const { body: v2 } = await callNotes<NoteJson>('updateNote', 'PUT /notes/{noteId}', {
      user,
      noteId: v1.noteId,
      body: { text: 'oregano tomato' },
    });
    await eventually(async () =>
      expect(await indexOfNote(user, v1.noteId)).toEqual(['oregano:1', 'recipe:3', 'tomato:1']),
    );
    // The INSERT and the first MODIFY delivered again, after the edit was indexed: nothing stale comes back.
    const key = { user, noteId: v1.noteId };
    const replay = {
      Records: [
        notesStreamRecord('INSERT', key, { new: noteImage(user, v1) }),
        notesStreamRecord('MODIFY', key, { old: noteImage(user, v1), new: noteImage(user, v2) }),
      ],
    };
    for (let delivery = 0; delivery < 2; delivery += 1)
      expect(await invokeFunction('indexNotes', replay)).toMatchObject({
        ok: true,
        payload: { batchItemFailures: [] },
      });
    expect(await indexOfNote(user, v1.noteId)).toEqual(['oregano:1', 'recipe:3', 'tomato:1']);
    expect(await found(user, 'basil')).toEqual([]);
  });

  it('sends a record that can never be indexed to the dead-letter queue and indexes the rest', async () => {
    await drainQueue('NotesDeadLetterQueue');
    const user = uniqueUser('poison');
    const { body: good } = await createNote(user, { headline: 'Good', text: 'kept' });
    const poison = notesStreamRecord(
      'INSERT',
      { user, noteId: '99999999-2222-4333-8444-555555555555' },
      { new: { UserId: user, NoteId: '99999999-2222-4333-8444-555555555555', Headline: 'no text, no version' } },
    );
    const result = await invokeFunction('indexNotes', {
      Records: [poison, notesStreamRecord('INSERT', { user, noteId: good.noteId }, { new: noteImage(user, good) })],
    });
    expect(result).toMatchObject({ ok: true, payload: { batchItemFailures: [] } });
    expect(await indexOfNote(user, good.noteId)).toEqual(['good:3', 'kept:1']);
    const dead = (await drainQueue('NotesDeadLetterQueue')) as Array<{ reason: string; sequenceNumber: string }>;
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      sequenceNumber: poison.dynamodb.SequenceNumber,
      reason: expect.stringMatching(/^NewImage: not a note item: .*Text/),
    });
  });

  it.each([
    ['no q', {}],
    ['a q of punctuation only', { q: '?!' }],
    ['a q over 200 characters', { q: 'a'.repeat(201) }],
    ['a limit of 0', { q: 'x', limit: '0' }],
  ])('answers 400 JSON to a search with %s', async (_label, query) => {
    const response = await callNotes<{ error: { code: string; details: { field: string } } }>(
      'searchNotes',
      'GET /notes/search',
      { user: uniqueUser('q'), query },
    );
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'invalid_query' } } });
  });
});
