import type { Result } from '../result.ts';
import { formatTimestamp, TIMESTAMP_FORMATS } from './timestamp.ts';
import { ID_FIELDS, USERNAME_FIELDS } from './event.ts';

/** What `npm run activity:publish` sends. */
export interface PublishOptions {
  events: number;
  users: number;
}

/** One event as a producer writes it: the spelling of each field and the time format vary. */
export type ProducedEvent = Record<string, string | number>;

const NAMES = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'zoe',
];
const ACTIONS = [
  'signed in',
  'signed out',
  'viewed the pricing page',
  'added an item to the cart',
  'removed an item from the cart',
  'started checkout',
  'completed checkout',
  'updated the profile',
  'changed the password',
  'searched for "running shoes"',
  'shared a playlist',
  'commented: "great post — thanks! 👍"',
  'uploaded a photo',
  'followed a topic',
  'opened the mobile app',
];
const ZONE_OFFSETS_MINUTES = [0, 60, -300, 330, 540, -480];

/** Options from the command line (strings), or the reason they are refused. */
export function publishOptions(values: { events?: string; users?: string }): Result<PublishOptions> {
  const events = Number(values.events ?? 100);
  const users = Number(values.users ?? 5);
  if (!Number.isInteger(events) || events < 1 || events > 1_000_000)
    return { ok: false, reason: '--events must be an integer from 1 to 1000000' };
  if (!Number.isInteger(users) || users < 1 || users > 10_000)
    return { ok: false, reason: '--users must be an integer from 1 to 10000' };
  return { ok: true, value: { events, users } };
}

/** The i-th sample user name (`alice`, `bob`, …, then `alice-2`, …). */
export function sampleUser(index: number): string {
  const round = Math.floor(index / NAMES.length);
  return `${NAMES[index % NAMES.length]!}${round === 0 ? '' : `-${round + 1}`}`;
}

/**
 * `events` realistic activity events of `users` users over the minute before `now`, each with a distinct
 * id (`<runId>-<n>`, so runs do not overwrite each other), in a random mix of field spellings and time
 * formats. `random` returns [0, 1) (Math.random in the script, a seeded one in tests).
 */
export function sampleActivityEvents(
  options: PublishOptions,
  runId: string,
  now: number,
  random: () => number,
): ProducedEvent[] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  return Array.from({ length: options.events }, (_, n) => {
    const timestampMs = now - Math.floor(random() * 60_000);
    return {
      [pick(USERNAME_FIELDS)]: sampleUser(Math.floor(random() * options.users)),
      [pick(ID_FIELDS)]: `${runId}-${n + 1}`,
      timestamp: formatTimestamp(timestampMs, pick(TIMESTAMP_FORMATS), pick(ZONE_OFFSETS_MINUTES)),
      message: pick(ACTIONS),
    };
  });
}

/** The user name of a produced event (the Kinesis partition key). */
export function producedUsername(event: ProducedEvent): string {
  return String(USERNAME_FIELDS.map((field) => event[field]).find((value) => value !== undefined));
}
