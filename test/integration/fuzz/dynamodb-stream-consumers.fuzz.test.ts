import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isNoteId } from '../../../src/domain/mobile/note.ts';
import { imageTerms } from '../../../src/domain/mobile/search-index.ts';
import { termWeights } from '../../../src/domain/mobile/search-terms.ts';
import { awsConfig, drainQueue, invokeFunction, physicalId } from '../../support/cloud.ts';
import { indexOfNote, noteImage, notesStreamRecord, type NoteJson } from '../../support/notes.ts';
import { voteStreamRecord } from '../../support/votes.ts';

// Fuzzing of the DynamoDB stream consumers (issue 7, hostile input). Their records come from our own
// tables, so the hostile input is a malformed record: no or garbage `dynamodb`, a cut-off one, an
// unknown eventName, keys and image attributes missing, wrongly typed, undecodable, empty or too long
// for a key, or hidden under `__proto__`. Mixed at random positions into batches of valid records,
// whatever the mix: the function neither fails nor reports a failure, every valid record takes effect
// exactly once (also when the batch is delivered twice), and every malformed one is dead-lettered.

type RawRecord = Record<string, unknown> & { eventID: string };
type AttributeMap = Record<string, unknown>;

/** A way to spoil a valid record for good (it mutates the record); counterexamples show its label. */
interface Spoiler {
  label: string;
  spoil(record: RawRecord): void;
}
const spoiler = (label: string, spoil: Spoiler['spoil']): Spoiler =>
  Object.assign({ label, spoil }, { [fc.toStringMethod]: () => `spoiler(${label})` });
const show = (value: unknown) => String(JSON.stringify(value)).slice(0, 40);

const DELIVERIES = 2; // the second delivery is a replay of the same batch
const EVENT_NAMES = ['INSERT', 'MODIFY', 'REMOVE'] as const;
const STREAM_FIELDS = [
  'ApproximateCreationDateTime',
  'Keys',
  'NewImage',
  'OldImage',
  'SequenceNumber',
  'SizeBytes',
  'StreamViewType',
];

const db = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));
const streamPart = (record: RawRecord) => record.dynamodb as AttributeMap;

/** Sets an own property, even one named `__proto__` (as JSON.parse makes it), where `=` would set the prototype. */
function defineOwn<T extends object>(target: T, name: string, value: unknown): T {
  return Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** Attribute values that do not decode at all: unmarshalling them throws. */
const undecodable = fc.constantFrom<unknown>(
  {},
  { X: '1' },
  { L: 'x' },
  { M: null },
  { SS: 'x' },
  { N: '1e30' },
  null,
  'S',
  7,
);
/** Well-formed attribute values that are not strings. */
const notAString = fc.oneof(
  fc.integer().map((n) => ({ N: String(n) })),
  fc.integer().map((n) => ({ S: n })),
  fc.constantFrom<unknown>(
    { NULL: true },
    { BOOL: false },
    { M: {} },
    { L: [] },
    { L: [{ S: 'x' }] },
    { SS: ['x'] },
    { M: { S: { S: 'x' } } },
  ),
);
/** Well-formed attribute values that are not a whole number of at least `min`. */
const notAVersion = (min: number) =>
  fc.oneof(
    fc.integer({ min: -1000, max: min - 1 }).map((n) => ({ N: String(n) })),
    fc.constantFrom<unknown>(
      { N: '1.5' },
      { N: 'abc' },
      { S: '1' },
      { NULL: true },
      { BOOL: true },
      { M: {} },
      { L: [] },
    ),
  );
/** Strings no DynamoDB key can hold: empty, or over 2048 bytes of UTF-8 (also in fewer, two-byte characters). */
const unusableKey = fc
  .oneof(
    fc.constant(''),
    fc.integer({ min: 2049, max: 3000 }).map((n) => 'k'.repeat(n)),
    fc.integer({ min: 1025, max: 1500 }).map((n) => 'é'.repeat(n)),
  )
  .map((S) => ({ S }));
/** Extra attributes a valid image may carry without changing its meaning (names that shadow Object.prototype). */
const oddities = fc
  .uniqueArray(
    fc.tuple(
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'),
      fc.oneof(fc.string({ maxLength: 10 }), fc.constant('x'.repeat(5000))),
    ),
    { selector: ([name]) => name, maxLength: 2 },
  )
  .map((pairs) => Object.fromEntries(pairs));

/**
 * Spoilers of the record around its images: no `dynamodb`, garbage or `__proto__`-hidden instead,
 * one cut short (without one of the two fields `essential` names, each of which the record needs), an unknown eventName.
 */
const envelopeSpoilers = (essential: (record: RawRecord) => string[]): Array<fc.Arbitrary<Spoiler>> => [
  fc.constant(
    spoiler('no dynamodb', (record) => {
      delete record.dynamodb;
    }),
  ),
  fc
    .oneof(
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      fc.constant({}),
    )
    .map((garbage) =>
      spoiler(`dynamodb is ${show(garbage)}`, (record) => {
        record.dynamodb = garbage;
      }),
    ),
  fc.constant(
    spoiler('dynamodb only under __proto__', (record) => {
      const part = record.dynamodb;
      delete record.dynamodb;
      defineOwn(record, '__proto__', part);
    }),
  ),
  fc.tuple(fc.nat(1), fc.subarray(STREAM_FIELDS)).map(([which, more]) =>
    spoiler(`dynamodb cut short: without essential field #${which} and [${more.join(', ')}]`, (record) => {
      for (const name of [essential(record)[which]!, ...more]) delete streamPart(record)[name];
    }),
  ),
  fc
    .oneof(
      fc.string({ maxLength: 12 }).filter((name) => !(EVENT_NAMES as readonly string[]).includes(name)),
      fc.integer(),
      fc.constantFrom<unknown>(undefined, 'insert', 'Modify', 'aws:kinesis:record', ['INSERT']),
    )
    .map((name) =>
      spoiler(`eventName ${show(name)}`, (record) => {
        if (name === undefined) delete record.eventName;
        else record.eventName = name;
      }),
    ),
];

/**
 * Spoilers of the attribute map at `dynamodb[field]`: an attribute set to a bad value or missing, the
 * map replaced by garbage, or its attributes hidden under `__proto__`.
 */
const attributeSpoilers = (
  field: (record: RawRecord) => string,
  bad: Record<string, fc.Arbitrary<unknown>>,
  required: readonly string[],
): Array<fc.Arbitrary<Spoiler>> => [
  ...Object.entries(bad).map(([name, values]) =>
    values.map((value) =>
      spoiler(`${name} = ${show(value)}`, (record) => {
        (streamPart(record)[field(record)] as AttributeMap)[name] = value;
      }),
    ),
  ),
  fc.constantFrom(...required).map((name) =>
    spoiler(`no ${name}`, (record) => {
      delete (streamPart(record)[field(record)] as AttributeMap)[name];
    }),
  ),
  fc.constantFrom<unknown>('x', [], 5, {}).map((garbage) =>
    spoiler(`attributes are ${show(garbage)}`, (record) => {
      streamPart(record)[field(record)] = garbage;
    }),
  ),
  fc.constant(
    spoiler('attributes only under __proto__', (record) => {
      const part = streamPart(record);
      part[field(record)] = defineOwn({}, '__proto__', { M: part[field(record)] });
    }),
  ),
];

/** Asserts the invocation neither failed nor reported a batch item failure (bad records are dead-lettered, not failed). */
async function deliver(fn: string, records: RawRecord[]) {
  for (let delivery = 0; delivery < DELIVERIES; delivery += 1) {
    expect(await invokeFunction(fn, { Records: records })).toMatchObject({
      ok: true,
      payload: { batchItemFailures: [] },
    });
  }
}

/** Asserts the run's letters in the queue are exactly its malformed records, once per delivery, each with a reason. */
async function expectDeadLettered(queue: string, prefix: string, malformed: readonly RawRecord[]) {
  const letters = (await drainQueue(queue)) as Array<{ eventID?: string; reason?: unknown }>;
  const ours = letters.filter((letter) => letter.eventID?.startsWith(`${prefix}-`));
  expect(ours.map((letter) => letter.eventID).sort()).toEqual(
    malformed.flatMap((record) => Array<string>(DELIVERIES).fill(record.eventID)).sort(),
  );
  for (const letter of ours) expect(letter.reason).toMatch(/\S/);
}

/** Builds the run's records from their plans: ids prefixed by the run (so letters can be told apart), spoilt where planned. */
function recordsOf<P extends { spoiler?: Spoiler }>(
  prefix: string,
  plans: readonly P[],
  build: (plan: P) => object,
): RawRecord[] {
  return plans.map((plan, index) => {
    const record: RawRecord = { ...build(plan), eventID: `${prefix}-${index}` };
    plan.spoiler?.spoil(record);
    return record;
  });
}

const runPrefix = () => `fz-${randomUUID().slice(0, 8)}`;
const numRuns = Number(process.env.FUZZ_RUNS ?? 8);

// --- aggregateVotes -------------------------------------------------------------------------------

const VOTERS = 3;
const VERSIONS = 6;

/** A run's voters and their histories: at each version 1..VERSIONS the candidate voted for, or null (the item was removed). */
interface Votes {
  candidates: string[];
  histories: Array<Array<number | null>>;
}

/** A record of a voter's item at a version: valid, or (above every valid version, so applying it would show) spoilt. */
interface VotePlan {
  voter: number;
  version: number;
  vote: number | null;
  modify: boolean;
  withOld: boolean;
  extra: Record<string, string>;
  spoiler?: Spoiler;
}

const votesArbitrary = fc.record({
  // Candidates are any names (the aggregator keeps no list of them); the run's own, so totals start at 0.
  candidates: fc.uniqueArray(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), {
    minLength: 3,
    maxLength: 3,
  }),
  histories: fc.array(fc.array(fc.option(fc.nat(2), { nil: null }), { minLength: VERSIONS, maxLength: VERSIONS }), {
    minLength: VOTERS,
    maxLength: VOTERS,
  }),
});

const voterIdOf = (prefix: string, voter: number) => `${prefix}-voter-${voter}`;
const candidateOf = (prefix: string, votes: Votes, candidate: number) => `${prefix}-${votes.candidates[candidate]}`;
/** The image that decides a VoteApp record: NewImage, or for a REMOVE the OldImage (the item removed). */
const decidingImage = (record: RawRecord) => (record.eventName === 'REMOVE' ? 'OldImage' : 'NewImage');

const voteSpoilers = fc.oneof(
  ...envelopeSpoilers((record) => ['SequenceNumber', decidingImage(record)]),
  ...attributeSpoilers(
    decidingImage,
    {
      VoterId: fc.oneof(notAString, undecodable, unusableKey),
      Version: fc.oneof(notAVersion(0), undecodable),
      Candidate: fc.oneof(notAString, undecodable, unusableKey),
    },
    ['VoterId', 'Version'],
  ),
  undecodable.map((value) =>
    spoiler(`Keys.VoterId = ${show(value)}`, (record) => {
      (streamPart(record).Keys as AttributeMap).VoterId = value;
    }),
  ),
);

const votePlan = (spoilt: boolean): fc.Arbitrary<VotePlan> =>
  fc.record({
    voter: fc.nat(VOTERS - 1),
    version: spoilt ? fc.integer({ min: VERSIONS + 1, max: VERSIONS + 2 }) : fc.integer({ min: 1, max: VERSIONS }),
    vote: fc.option(fc.nat(2), { nil: null }),
    modify: fc.boolean(),
    withOld: fc.boolean(),
    extra: oddities,
    ...(spoilt ? { spoiler: voteSpoilers } : {}),
  });

/** A VoteApp record as the table's stream would carry it (a valid plan's vote comes from the voter's history). */
function voteRecord(prefix: string, votes: Votes, plan: VotePlan) {
  const vote = plan.spoiler ? plan.vote : votes.histories[plan.voter]![plan.version - 1]!;
  const voterId = voterIdOf(prefix, plan.voter);
  const image = (version: number, candidate: number) => ({
    VoterId: voterId,
    Version: version,
    Candidate: candidateOf(prefix, votes, candidate),
    ...plan.extra,
  });
  // A removal is read from the removed item: the voter counts for nobody one version above it.
  if (vote === null) return voteStreamRecord('REMOVE', voterId, { old: image(plan.version - 1, 0) });
  return voteStreamRecord(plan.modify ? 'MODIFY' : 'INSERT', voterId, {
    new: image(plan.version, vote),
    ...(plan.withOld ? { old: image(plan.version - 1, 0) } : {}),
  });
}

/** What the valid records imply: per voter the applied vote of its newest valid version, and per candidate the voters counted. */
function expectedVotes(prefix: string, votes: Votes, valid: readonly VotePlan[]) {
  const applied = Array.from({ length: VOTERS }, (_, voter) => {
    const versions = valid.filter((plan) => plan.voter === voter).map((plan) => plan.version);
    if (versions.length === 0) return undefined;
    const version = Math.max(...versions);
    const vote = votes.histories[voter]![version - 1]!;
    return {
      VoterId: voterIdOf(prefix, voter),
      Version: version,
      ...(vote === null ? {} : { Candidate: candidateOf(prefix, votes, vote) }),
    };
  });
  const totals = votes.candidates.map(
    (_, candidate) => applied.filter((item) => item?.Candidate === candidateOf(prefix, votes, candidate)).length,
  );
  return { applied, totals };
}

async function appliedVote(voterId: string) {
  return (
    await db.send(
      new GetCommand({ TableName: physicalId('VoteAppAppliedVotes'), Key: { VoterId: voterId }, ConsistentRead: true }),
    )
  ).Item;
}

async function total(candidate: string) {
  const item = (
    await db.send(
      new GetCommand({
        TableName: physicalId('VoteAppAggregates'),
        Key: { Candidate: candidate },
        ConsistentRead: true,
      }),
    )
  ).Item;
  return Number(item?.Votes ?? 0);
}

// --- indexNotes -----------------------------------------------------------------------------------

const NOTES = 3;

/** One of a run's notes: its versions (the last one current); in the Notes table unless deleted. */
interface NoteHistory {
  exists: boolean;
  versions: Array<{ headline: string; text: string }>;
}

/** A Notes record of a note (images: indexes of its versions); spoilt ones carry both images, so image spoilers find one. */
interface NotePlan {
  note: number;
  eventName: (typeof EVENT_NAMES)[number];
  old?: number;
  new?: number;
  extra: Record<string, string>;
  spoiler?: Spoiler;
}

const words = fc.oneof(fc.lorem({ maxCount: 6 }), fc.string({ unit: 'grapheme', maxLength: 40 }));
const notesArbitrary = fc.array(
  fc.record({
    exists: fc.boolean(),
    versions: fc.array(fc.record({ headline: words, text: words }), { minLength: 1, maxLength: 3 }),
  }),
  { minLength: NOTES, maxLength: NOTES },
);

const NOTE_ATTRIBUTES = ['UserId', 'NoteId', 'Headline', 'Text', 'CreatedAt', 'UpdatedAt', 'Version'] as const;
const noteImageSpoilers = (image: 'OldImage' | 'NewImage') =>
  attributeSpoilers(
    () => image,
    {
      UserId: fc.oneof(notAString, undecodable, fc.constant({ S: '' })),
      NoteId: fc.oneof(notAString, undecodable, fc.constant({ S: '' })),
      Headline: fc.oneof(notAString, undecodable),
      Text: fc.oneof(notAString, undecodable),
      CreatedAt: fc.oneof(notAString, undecodable),
      UpdatedAt: fc.oneof(notAString, undecodable),
      Version: fc.oneof(notAVersion(1), undecodable),
    },
    NOTE_ATTRIBUTES,
  );

const noteSpoilers = fc.oneof(
  ...envelopeSpoilers(() => ['SequenceNumber', 'Keys']),
  ...attributeSpoilers(
    () => 'Keys',
    {
      UserId: fc.oneof(notAString, undecodable, unusableKey),
      // Note ids are server-made UUIDs: nothing else names a note.
      NoteId: fc.oneof(
        notAString,
        undecodable,
        unusableKey,
        fc
          .string({ maxLength: 40 })
          .filter((id) => !isNoteId(id))
          .map((S) => ({ S })),
      ),
    },
    ['UserId', 'NoteId'],
  ),
  ...noteImageSpoilers('OldImage'),
  ...noteImageSpoilers('NewImage'),
);

const notePlan = (spoilt: boolean): fc.Arbitrary<NotePlan> =>
  fc.record({
    note: fc.nat(NOTES - 1),
    eventName: fc.constantFrom(...EVENT_NAMES),
    ...(spoilt
      ? { old: fc.constant(0), new: fc.constant(-1) }
      : { old: fc.option(fc.nat(2), { nil: undefined }), new: fc.option(fc.nat(2), { nil: undefined }) }),
    extra: oddities,
    ...(spoilt ? { spoiler: noteSpoilers } : {}),
  });

/** The versions of a run's notes as the API returns them. */
function noteVersions(noteIds: readonly string[], notes: readonly NoteHistory[]) {
  return notes.map((note, index) =>
    note.versions.map((draft, version): NoteJson => ({
      noteId: noteIds[index]!,
      ...draft,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: `2026-01-01T00:00:0${version}.000Z`,
      version: version + 1,
    })),
  );
}
/** The version at a plan's index, taken modulo the versions there are (-1: the current one). */
const versionAt = <T>(versions: readonly T[], index: number) => versions.at(index % versions.length)!;

/** Each note's current terms (none once deleted) and the stale ones its index still holds from earlier versions. */
function termsOf(notes: readonly NoteHistory[], versions: readonly NoteJson[][]) {
  return notes.map((note, index) => {
    const current = note.exists ? termWeights(versions[index]!.at(-1)!) : new Map<string, number>();
    const stale = new Set(
      versions[index]!.flatMap((version) => imageTerms(version)).filter((term) => !current.has(term)),
    );
    return { current, stale };
  });
}

/** Stores the existing notes and seeds the stale index items, which only a valid record's images can clear. */
async function setUpNotes(
  user: string,
  notes: readonly NoteHistory[],
  versions: readonly NoteJson[][],
  terms: ReturnType<typeof termsOf>,
) {
  const put = (table: string, Item: Record<string, unknown>) =>
    db.send(new PutCommand({ TableName: physicalId(table), Item }));
  await Promise.all(
    notes.flatMap((note, index) => {
      const noteId = versions[index]![0]!.noteId;
      return [
        ...(note.exists ? [put('Notes', noteImage(user, versions[index]!.at(-1)!))] : []),
        ...[...terms[index]!.stale].map((term) =>
          put('NotesSearchIndex', { UserTerm: `${user}#${term}`, NoteId: noteId, Weight: 1, UpdatedAt: 'stale' }),
        ),
      ];
    }),
  );
}

// --- the properties -------------------------------------------------------------------------------

const batchOf = <P>(plan: (spoilt: boolean) => fc.Arbitrary<P>) =>
  // Batches of any length up to 40 (not fast-check's usual small ones): more records per invocation, same time.
  fc.array(fc.oneof({ weight: 3, arbitrary: plan(false) }, { weight: 2, arbitrary: plan(true) }), {
    minLength: 1,
    maxLength: 40,
    size: 'max',
  });

describe('fuzzing the DynamoDB stream consumers with malformed records mixed into valid batches', () => {
  it('aggregateVotes applies every valid record exactly once, dead-letters every malformed one, and never fails', async () => {
    await fc.assert(
      fc.asyncProperty(votesArbitrary, batchOf(votePlan), async (votes, plans) => {
        const prefix = runPrefix();
        const records = recordsOf(prefix, plans, (plan) => voteRecord(prefix, votes, plan));
        await deliver('aggregateVotes', records);

        const { applied, totals } = expectedVotes(
          prefix,
          votes,
          plans.filter((plan) => !plan.spoiler),
        );
        expect(await Promise.all(applied.map((_, voter) => appliedVote(voterIdOf(prefix, voter))))).toEqual(applied);
        expect(
          await Promise.all(votes.candidates.map((_, candidate) => total(candidateOf(prefix, votes, candidate)))),
        ).toEqual(totals);
        await expectDeadLettered(
          'VotesDeadLetterQueue',
          prefix,
          records.filter((_, index) => plans[index]!.spoiler),
        );
      }),
      { numRuns, endOnFailure: true },
    );
  }, 600_000);

  it("indexNotes indexes exactly the valid records' notes, dead-letters every malformed record, and never fails", async () => {
    await fc.assert(
      fc.asyncProperty(notesArbitrary, batchOf(notePlan), async (notes, plans) => {
        const user = runPrefix();
        const versions = noteVersions(
          notes.map(() => randomUUID()),
          notes,
        );
        const terms = termsOf(notes, versions);
        await setUpNotes(user, notes, versions, terms);
        const image = (plan: NotePlan, index: number | undefined) =>
          index === undefined
            ? undefined
            : { ...noteImage(user, versionAt(versions[plan.note]!, index)), ...plan.extra };
        const records = recordsOf(user, plans, (plan) =>
          notesStreamRecord(
            plan.eventName,
            { user, noteId: versions[plan.note]![0]!.noteId },
            { old: image(plan, plan.old), new: image(plan, plan.new) },
          ),
        );
        await deliver('indexNotes', records);

        const valid = plans.filter((plan) => !plan.spoiler);
        for (const [index, { current, stale }] of terms.entries()) {
          const indexed = await indexOfNote(user, versions[index]![0]!.noteId);
          const entries = (held: Iterable<string>) =>
            [
              ...[...current].map(([term, weight]) => `${term}:${weight}`),
              ...[...held].map((term) => `${term}:1`),
            ].sort();
          const mine = valid.filter((plan) => plan.note === index);
          if (mine.length > 0) {
            // The note's current terms, and of the stale ones those no valid record's image held.
            const seen = new Set(
              mine
                .flatMap((plan) => [plan.old, plan.new])
                .filter((at) => at !== undefined)
                .flatMap((at) => imageTerms(versionAt(versions[index]!, at))),
            );
            expect(indexed).toEqual(entries([...stale].filter((term) => !seen.has(term))));
          } else {
            // Untouched by this batch: the stale items stay; the table's own stream may be indexing an existing note meanwhile.
            const staleEntries = [...stale].map((term) => `${term}:1`);
            expect(indexed).toEqual(expect.arrayContaining(staleEntries));
            expect(entries(stale)).toEqual(expect.arrayContaining(indexed));
          }
        }
        await expectDeadLettered(
          'NotesDeadLetterQueue',
          user,
          records.filter((_, index) => plans[index]!.spoiler),
        );
      }),
      { numRuns, endOnFailure: true },
    );
  }, 600_000);
});

afterAll(() => {
  db.destroy();
});
