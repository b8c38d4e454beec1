import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Note } from '../../../src/domain/mobile/note.ts';
import {
  imageTerms,
  indexChanges,
  type IndexChanges,
  type IndexItem,
} from '../../../src/domain/mobile/search-index.ts';

const owner = { userId: 'user-1', noteId: 'note-1' };
type Index = Map<string, IndexItem>;
const keyOf = (key: { UserTerm: string; NoteId: string }) => `${key.UserTerm}|${key.NoteId}`;

function apply(index: Index, changes: IndexChanges): Index {
  const next = new Map(index);
  for (const key of changes.deletes) next.delete(keyOf(key));
  for (const item of changes.puts) next.set(keyOf(item), item);
  return next;
}

/** The index a note should have: exactly its current terms. */
const indexOf = (note: Note | undefined): Index => apply(new Map(), indexChanges(owner, [], note));

// A small vocabulary (with case and accents) so versions share, gain and lose terms.
const word = fc.constantFrom('milk', 'Milk', 'eggs', 'café', 'CAFE', 'bread', 'crème', 'list', 'done', 'todo');
const content = fc.record({
  headline: fc.array(word, { minLength: 1, maxLength: 3 }),
  text: fc.array(word, { maxLength: 6 }),
});
/** A note's history: each step a new content or a deletion; state 0 is "no note yet". */
const histories = fc.array(fc.option(content, { freq: 5 }), { minLength: 1, maxLength: 8 }).map((steps) => {
  const states: Array<Note | undefined> = [undefined];
  steps.forEach((step, i) =>
    states.push(
      step === null
        ? undefined
        : {
            ...owner,
            headline: step.headline.join(' '),
            text: step.text.join(' '),
            createdAt: '2026-01-01T00:00:00.000Z',
            updatedAt: new Date(Date.UTC(2026, 0, 1, 0, i + 1)).toISOString(),
            version: i + 1,
          },
    ),
  );
  return states;
});
/** The terms a stream record shows: those of its old and new images. */
const seen = (states: Array<Note | undefined>, record: number) => [
  ...imageTerms(states[record - 1]),
  ...imageTerms(states[record]),
];

describe('indexChanges (property)', () => {
  it('applied to the index of the old image, gives the index of the new one', () => {
    fc.assert(
      fc.property(histories, (states) => {
        for (let record = 1; record < states.length; record += 1) {
          expect(apply(indexOf(states[record - 1]), indexChanges(owner, seen(states, record), states[record]))).toEqual(
            indexOf(states[record]),
          );
        }
      }),
    );
  });

  it('ends at the current note whatever the lag, replays and retries of the stream records', () => {
    // Records are processed in stream order, each at least once; the note may have moved on further
    // when a record is processed (lag), and earlier records may be delivered again (replays) at any point.
    const schedules = histories.chain((states) =>
      fc.record({
        states: fc.constant(states),
        lags: fc.array(fc.nat({ max: 3 }), { minLength: states.length, maxLength: states.length }),
        replays: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: states.length, maxLength: states.length }),
      }),
    );
    fc.assert(
      fc.property(schedules, ({ states, lags, replays }) => {
        const last = states.length - 1;
        let index: Index = new Map();
        let at = 0;
        for (let record = 1; record <= last; record += 1) {
          at = Math.max(at, Math.min(last, record + lags[record]!)); // the note as it is when the record is processed
          index = apply(index, indexChanges(owner, seen(states, record), states[at]));
          for (const pick of replays[record]!)
            index = apply(index, indexChanges(owner, seen(states, 1 + (pick % record)), states[at]));
        }
        expect(index).toEqual(indexOf(states[last]));
      }),
    );
  });

  it('never puts and deletes the same key, nor one key twice', () => {
    fc.assert(
      fc.property(histories, fc.array(word), (states, extra) => {
        const changes = indexChanges(
          owner,
          [...extra.map((w) => w.toLowerCase()), ...seen(states, states.length - 1)],
          states.at(-1),
        );
        const keys = [...changes.puts, ...changes.deletes].map(keyOf);
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });
});

describe('indexChanges', () => {
  it('puts each term once with its weight and the note time, and deletes the terms an edit removed', () => {
    const note: Note = {
      ...owner,
      headline: 'Milk',
      text: 'eggs milk',
      createdAt: 'c',
      updatedAt: '2026-01-02T00:00:00.000Z',
      version: 2,
    };
    expect(indexChanges(owner, ['milk', 'bread'], note)).toEqual({
      puts: [
        { UserTerm: 'user-1#milk', NoteId: 'note-1', Weight: 4, UpdatedAt: '2026-01-02T00:00:00.000Z' },
        { UserTerm: 'user-1#eggs', NoteId: 'note-1', Weight: 1, UpdatedAt: '2026-01-02T00:00:00.000Z' },
      ],
      deletes: [{ UserTerm: 'user-1#bread', NoteId: 'note-1' }],
    });
  });

  it('deletes every seen term of a deleted note', () => {
    expect(indexChanges(owner, ['milk', 'milk', 'eggs'], undefined)).toEqual({
      puts: [],
      deletes: [
        { UserTerm: 'user-1#milk', NoteId: 'note-1' },
        { UserTerm: 'user-1#eggs', NoteId: 'note-1' },
      ],
    });
  });
});
