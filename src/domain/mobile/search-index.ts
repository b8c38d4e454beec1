import type { Note } from './note.ts';
import { termWeights } from './search-terms.ts';

/**
 * The search index (NotesSearchIndex): one item per (user, term, note), keyed UserTerm = `<userId>#<term>`
 * and NoteId, so the notes of one user holding one term are one Query, and no query can reach another
 * user's partition. Terms never contain '#' (they are letters and digits), so the key is unambiguous.
 */
export type IndexItem = {
  UserTerm: string;
  NoteId: string;
  Weight: number;
  UpdatedAt: string;
};

export type IndexKey = Pick<IndexItem, 'UserTerm' | 'NoteId'>;

export const userTermKey = (userId: string, term: string) => `${userId}#${term}`;

export interface IndexChanges {
  puts: IndexItem[];
  deletes: IndexKey[];
}

/**
 * What to write so the index holds exactly the note's current terms: put every current term (with its
 * weight and the note's updatedAt), delete every term seen in the stream images that the current note
 * no longer has. `current` is the note as read at processing time (undefined once deleted), not the
 * record's new image: so a replayed or late record converges to the present state and can never put
 * back a term a later edit removed. Every term ever indexed appears in some record's images, so the
 * deletes of later records catch every stale term. Both lists have distinct keys and never share one.
 */
export function indexChanges(
  note: { userId: string; noteId: string },
  seenTerms: Iterable<string>,
  current: Note | undefined,
): IndexChanges {
  const weights = current ? termWeights(current) : new Map<string, number>();
  const puts = [...weights].map(([term, weight]) => ({
    UserTerm: userTermKey(note.userId, term),
    NoteId: note.noteId,
    Weight: weight,
    UpdatedAt: current!.updatedAt,
  }));
  const deletes = [...new Set(seenTerms)]
    .filter((term) => !weights.has(term))
    .map((term) => ({ UserTerm: userTermKey(note.userId, term), NoteId: note.noteId }));
  return { puts, deletes };
}

/** The terms of a note image (a stream's old or new image), for `indexChanges`' seen terms. */
export function imageTerms(image: { headline: string; text: string } | undefined): string[] {
  return image ? [...termWeights(image).keys()] : [];
}
