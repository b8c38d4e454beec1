import * as z from 'zod';
import type { Result } from '../result.ts';
import { termWeights } from './search-terms.ts';

/** A user's note. `version` starts at 1 and grows by one with every edit. */
export interface Note {
  userId: string;
  noteId: string;
  headline: string;
  text: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The Notes item: key (UserId, NoteId), so every read names its owner and one user can never reach another's note. */
// A type alias, not an interface: it must be assignable to the adapters' Record<string, unknown> items.
export type NoteItem = {
  UserId: string;
  NoteId: string;
  Headline: string;
  Text: string;
  CreatedAt: string;
  UpdatedAt: string;
  Version: number;
};

export const MAX_HEADLINE_CHARS = 200;
export const MAX_TEXT_CHARS = 10_000;

// Cognito's `sub` is a UUID; any other issuer's subject must still be a short, printable string.
const USER_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
// Note ids are server-generated UUIDs: anything else cannot name a note.
const NOTE_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isUserId = (value: unknown): value is string => typeof value === 'string' && USER_ID_PATTERN.test(value);
export const isNoteId = (value: unknown): value is string => typeof value === 'string' && NOTE_ID_PATTERN.test(value);

const headline = z
  .string({ error: 'headline must be a string' })
  .trim()
  .min(1, { error: 'headline must not be empty' })
  .max(MAX_HEADLINE_CHARS, { error: `headline must be at most ${MAX_HEADLINE_CHARS} characters` });
const text = z
  .string({ error: 'text must be a string' })
  .max(MAX_TEXT_CHARS, { error: `text must be at most ${MAX_TEXT_CHARS} characters` });

/** `POST /notes` body. Other fields (a userId, a noteId) are ignored: the owner comes from the token, the id from us. */
export const newNoteBody = z.object({ headline, text });
export type NewNoteInput = z.infer<typeof newNoteBody>;

/** `PUT /notes/{noteId}` body: the fields to change, and optionally the version the client edited. */
export const noteEditBody = z
  .object({
    headline: headline.optional(),
    text: text.optional(),
    version: z
      .int({ error: 'version must be a whole number' })
      .min(1, { error: 'version must be at least 1' })
      .optional(),
  })
  .refine((edit) => edit.headline !== undefined || edit.text !== undefined, {
    error: 'give headline, text or both to change',
  });
export type NoteEdit = z.infer<typeof noteEditBody>;

/**
 * At most this many distinct search terms in a note (headline and text together). Sign-up is open, so
 * every write must have a bounded cost: indexNotes puts one index item per current term and deletes one
 * per term the note lost, so an edit costs at most ~2 x 500 = 1,000 index writes. Short notes stay well
 * below it; a note near the 10,000-character limit with over 500 different words must be split.
 */
export const MAX_DISTINCT_TERMS = 500;

/** Why a note (as it would be stored) has too many distinct terms, or undefined when it has few enough. */
export function termLimitExceeded(note: {
  headline: string;
  text: string;
}): { terms: number; limit: number } | undefined {
  const terms = termWeights(note).size;
  return terms > MAX_DISTINCT_TERMS ? { terms, limit: MAX_DISTINCT_TERMS } : undefined;
}

/** The headline and text a note has after an edit: the edit's fields over the current ones. */
export function editedContent(
  current: { headline: string; text: string },
  edit: { headline?: string | undefined; text?: string | undefined },
): { headline: string; text: string } {
  return { headline: edit.headline ?? current.headline, text: edit.text ?? current.text };
}

export function newNote(userId: string, noteId: string, input: NewNoteInput, now: Date): Note {
  const at = now.toISOString();
  return { userId, noteId, headline: input.headline, text: input.text, createdAt: at, updatedAt: at, version: 1 };
}

export function noteItem(note: Note): NoteItem {
  return {
    UserId: note.userId,
    NoteId: note.noteId,
    Headline: note.headline,
    Text: note.text,
    CreatedAt: note.createdAt,
    UpdatedAt: note.updatedAt,
    Version: note.version,
  };
}

const itemSchema = z.object({
  UserId: z.string().min(1),
  NoteId: z.string().min(1),
  Headline: z.string(),
  Text: z.string(),
  CreatedAt: z.string(),
  UpdatedAt: z.string(),
  Version: z.int().min(1),
});

/** A Notes item (from a read or a stream image) as a note, or what is wrong with it. */
export function noteFromItem(item: Record<string, unknown>): Result<Note> {
  const parsed = itemSchema.safeParse(item);
  if (!parsed.success) {
    return {
      ok: false,
      reason: `not a note item: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'item'}: ${issue.message}`).join('; ')}`,
    };
  }
  const { UserId, NoteId, Headline, Text, CreatedAt, UpdatedAt, Version } = parsed.data;
  return {
    ok: true,
    value: {
      userId: UserId,
      noteId: NoteId,
      headline: Headline,
      text: Text,
      createdAt: CreatedAt,
      updatedAt: UpdatedAt,
      version: Version,
    },
  };
}

/** A note as the API returns it (the owner is implied by the token, so it is not echoed). */
export function noteJson(note: Note) {
  return {
    noteId: note.noteId,
    headline: note.headline,
    text: note.text,
    createdAt: note.createdAt,
    updatedAt: note.updatedAt,
    version: note.version,
  };
}
