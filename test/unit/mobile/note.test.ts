import { describe, expect, it } from 'vitest';
import {
  editedContent,
  isNoteId,
  isUserId,
  MAX_DISTINCT_TERMS,
  MAX_HEADLINE_CHARS,
  MAX_TEXT_CHARS,
  termLimitExceeded,
  newNote,
  newNoteBody,
  noteEditBody,
  noteFromItem,
  noteItem,
  noteJson,
} from '../../../src/domain/mobile/note.ts';

const now = new Date('2026-03-04T05:06:07.000Z');
const messages = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe('note bodies', () => {
  it('accepts a headline and a text, trims the headline and ignores a userId or noteId in the body', () => {
    expect(newNoteBody.parse({ headline: '  Groceries ', text: '', userId: 'someone-else', noteId: 'x' })).toEqual({
      headline: 'Groceries',
      text: '',
    });
  });

  it('refuses a missing, empty or too long headline and a too long text, saying why', () => {
    expect(messages(newNoteBody.safeParse({ text: 'x' }))).toEqual(['headline must be a string']);
    expect(messages(newNoteBody.safeParse({ headline: ' ', text: 'x' }))).toEqual(['headline must not be empty']);
    expect(
      messages(
        newNoteBody.safeParse({ headline: 'h'.repeat(MAX_HEADLINE_CHARS + 1), text: 't'.repeat(MAX_TEXT_CHARS + 1) }),
      ),
    ).toEqual([
      `headline must be at most ${MAX_HEADLINE_CHARS} characters`,
      `text must be at most ${MAX_TEXT_CHARS} characters`,
    ]);
  });

  it('takes an edit of the headline, the text or both, with an optional version', () => {
    expect(noteEditBody.parse({ text: 'new', version: 3 })).toEqual({ text: 'new', version: 3 });
    expect(messages(noteEditBody.safeParse({ version: 3 }))).toEqual(['give headline, text or both to change']);
    expect(messages(noteEditBody.safeParse({ text: 'x', version: 0 }))).toEqual(['version must be at least 1']);
  });
});

describe('notes and items', () => {
  it('round-trips a new note through its item', () => {
    const note = newNote('user-1', '0b6f4a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', { headline: 'H', text: 'T' }, now);
    expect(note).toMatchObject({ version: 1, createdAt: now.toISOString(), updatedAt: now.toISOString() });
    expect(noteFromItem(noteItem(note))).toEqual({ ok: true, value: note });
    expect(noteJson(note)).not.toHaveProperty('userId');
  });

  it('says what is wrong with an item that is not a note', () => {
    const parsed = noteFromItem({ UserId: 'u', NoteId: 'n', Headline: 7 });
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringMatching(/^not a note item: Headline: .*Text: /) });
  });

  it('knows user ids and note ids', () => {
    expect(isUserId('5f1c9c0e-0000-4000-8000-000000000000')).toBe(true);
    expect([isUserId(''), isUserId('a b'), isUserId('x'.repeat(129)), isUserId(undefined)]).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(isNoteId('0b6f4a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b')).toBe(true);
    expect([isNoteId('search'), isNoteId('0B6F4A3E-1C2D-4E5F-8A9B-0C1D2E3F4A5B')]).toEqual([false, false]);
  });
});

describe('the term limit', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

  it(`allows ${MAX_DISTINCT_TERMS} distinct terms over headline and text, counting repeats and case variants once`, () => {
    expect(MAX_DISTINCT_TERMS).toBe(500);
    expect(
      termLimitExceeded({
        headline: 'W0 w1',
        text: `${words(MAX_DISTINCT_TERMS)} ${words(MAX_DISTINCT_TERMS).toUpperCase()}`,
      }),
    ).toBeUndefined();
  });

  it('says how many terms a note over the limit has', () => {
    expect(termLimitExceeded({ headline: 'extra', text: words(MAX_DISTINCT_TERMS) })).toEqual({
      terms: MAX_DISTINCT_TERMS + 1,
      limit: MAX_DISTINCT_TERMS,
    });
  });

  it('judges an edit by the note it produces: the edited fields over the kept ones', () => {
    const current = { headline: 'alpha beta', text: 'old text' };
    expect(editedContent(current, { text: 'new' })).toEqual({ headline: 'alpha beta', text: 'new' });
    expect(editedContent(current, { headline: 'H' })).toEqual({ headline: 'H', text: 'old text' });
    expect(termLimitExceeded(editedContent(current, { text: words(MAX_DISTINCT_TERMS - 1) }))).toEqual({
      terms: MAX_DISTINCT_TERMS + 1,
      limit: MAX_DISTINCT_TERMS,
    });
    expect(
      termLimitExceeded(editedContent(current, { headline: 'w0', text: words(MAX_DISTINCT_TERMS) })),
    ).toBeUndefined();
  });
});
