import type { DynamoDBRecord } from 'aws-lambda';
import { applyIndexChanges } from '../../adapters/notes-search-index.ts';
import { readNotes, type NoteKey } from '../../adapters/notes-table.ts';
import { step } from '../../adapters/tracing.ts';
import { isNoteId, isUserId, noteFromItem, type Note } from '../../domain/mobile/note.ts';
import { imageTerms, indexChanges, type IndexChanges } from '../../domain/mobile/search-index.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { envConfig, string, url } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { toDeadLetterQueue } from '../shared/dead-letters.ts';
import { streamConsumer } from '../shared/stream-consumer.ts';
import { unmarshallImage } from '../shared/stream.ts';

const config = envConfig({
  notesTable: string('NOTES_TABLE'),
  indexTable: string('SEARCH_INDEX_TABLE'),
  deadLetterQueueUrl: url('DEAD_LETTER_QUEUE_URL'),
});

/** What one Notes stream record tells the indexer: which note, and which terms its images held. */
export interface NoteChange {
  userId: string;
  noteId: string;
  seenTerms: string[];
  sequenceNumber: string;
}

/**
 * Notes stream -> NotesSearchIndex. For each note in the batch it reads the note as it is now (a
 * consistent read) and writes the index to match: its current terms put, every term seen in the
 * records' old and new images and no longer held deleted. So a replayed or late record converges to
 * the present and cannot bring back a term a later edit removed; processing twice equals once.
 * Undecodable records go to the dead-letter queue; notes whose index writes failed are batch item failures.
 */
export const handler = streamConsumer({
  decode: decodeNoteChange,
  deadLetters: toDeadLetterQueue(() => config().deadLetterQueueUrl),
  process: indexNotes,
  logMessage: 'notes indexed',
});

async function indexNotes(changes: NoteChange[]) {
  const { notesTable, indexTable } = config();
  const notes = groupByNote(changes);
  const current = await step('read', () =>
    currentNotes(
      notesTable,
      [...notes.values()].map(({ key }) => key),
    ),
  );
  const plans = [...notes.entries()].map(([id, { key, seenTerms }]) => ({
    id,
    changes: indexChanges({ userId: key.UserId, noteId: key.NoteId }, seenTerms, current.get(id)),
  }));
  const unwritten = await step('store', () =>
    applyIndexChanges(indexTable, merge(plans.map((plan) => plan.changes)), {
      onError: (error) => logger.warn('index write failed; its records will be retried', error as Error),
    }),
  );
  const failedNotes = new Set(
    unwritten.map((request) => noteIdOf('PutRequest' in request ? request.PutRequest.Item : request.DeleteRequest.Key)),
  );
  const failed = [...notes.entries()].flatMap(([id, note]) => (failedNotes.has(id) ? note.sequenceNumbers : []));
  return { failed, log: { notes: notes.size } };
}

/** A Notes stream record as a note change, or why it can never be indexed. */
export function decodeNoteChange(record: DynamoDBRecord): Result<NoteChange> {
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  if (!sequenceNumber) return err('no SequenceNumber');
  if (!['INSERT', 'MODIFY', 'REMOVE'].includes(record.eventName ?? ''))
    return err(`unknown eventName ${JSON.stringify(record.eventName)}`);
  const keys = unmarshallImage(record.dynamodb?.Keys);
  // Every note's keys are a user id and a note id (a UUID). Anything else can never be indexed: an empty or
  // over-long key fails the whole batch's read of Notes, every time, and a user id's bound leaves room for `<userId>#<term>`.
  if (!isUserId(keys?.UserId) || !isNoteId(keys.NoteId))
    return err('Keys must hold a UserId (printable, at most 128 characters) and a NoteId (a UUID)');
  const seenTerms: string[] = [];
  for (const [name, image] of [
    ['OldImage', record.dynamodb?.OldImage],
    ['NewImage', record.dynamodb?.NewImage],
  ] as const) {
    const item = unmarshallImage(image);
    if (!item) continue;
    const note = noteFromItem(item);
    if (!note.ok) return err(`${name}: ${note.reason}`);
    seenTerms.push(...imageTerms(note.value));
  }
  return ok({ userId: keys.UserId, noteId: keys.NoteId, seenTerms, sequenceNumber });
}

const noteIdOf = (key: Record<string, unknown>) =>
  `${String(key.UserTerm).slice(0, String(key.UserTerm).lastIndexOf('#'))}\u0000${String(key.NoteId)}`;

function groupByNote(changes: readonly NoteChange[]) {
  const notes = new Map<string, { key: NoteKey; seenTerms: Set<string>; sequenceNumbers: string[] }>();
  for (const change of changes) {
    const id = `${change.userId}\u0000${change.noteId}`;
    const note = notes.get(id) ?? {
      key: { UserId: change.userId, NoteId: change.noteId },
      seenTerms: new Set(),
      sequenceNumbers: [],
    };
    for (const term of change.seenTerms) note.seenTerms.add(term);
    note.sequenceNumbers.push(change.sequenceNumber);
    notes.set(id, note);
  }
  return notes;
}

/** The notes as they are now, by `<userId>\0<noteId>`; a deleted note is absent. */
async function currentNotes(table: string, keys: NoteKey[]): Promise<Map<string, Note>> {
  const notes = new Map<string, Note>();
  for (const item of await readNotes(table, keys, { consistentRead: true })) {
    const note = noteFromItem(item);
    // A stored item that is not a note cannot be searched: index nothing for it.
    if (note.ok) notes.set(`${note.value.userId}\u0000${note.value.noteId}`, note.value);
    else logger.warn('stored note is malformed; it is left out of the index', { reason: note.reason });
  }
  return notes;
}

function merge(all: readonly IndexChanges[]): IndexChanges {
  return { puts: all.flatMap((changes) => changes.puts), deletes: all.flatMap((changes) => changes.deletes) };
}
