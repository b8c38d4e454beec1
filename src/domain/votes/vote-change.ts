import { err, ok, type Result } from '../result.ts';

/**
 * One change of a voter's vote, as read from the VoteApp stream. `candidate` null means the voter
 * counts for nobody (the item was removed). Versions grow by one with every write of the item.
 */
export interface VoteChange {
  voterId: string;
  version: number;
  candidate: string | null;
  sequenceNumber: string;
}

/** A stream record with its images already unmarshalled to plain values. */
export interface VoteStreamRecord {
  eventName: string | undefined;
  sequenceNumber: string;
  keys: Record<string, unknown> | undefined;
  newImage: Record<string, unknown> | undefined;
  oldImage: Record<string, unknown> | undefined;
}

type VoteChangeResult = Result<VoteChange>;

const rejected = (reason: string): VoteChangeResult => err(reason);

/**
 * DynamoDB's limit on a partition key value (UTF-8 bytes). VoterId keys the applied votes and Candidate
 * the totals, so a change naming a longer one (or an empty one) could never be written: it would be
 * retried until the stream gives up on its batch, holding up the valid records behind it.
 */
export const MAX_KEY_BYTES = 2048;
const keyBytes = (value: string) => new TextEncoder().encode(value).length;

/** The vote change a VoteApp stream record describes, or why it can never be applied. */
export function voteChangeOf(record: VoteStreamRecord): VoteChangeResult {
  switch (record.eventName) {
    case 'INSERT':
    case 'MODIFY':
      return fromImage(record.newImage, record.sequenceNumber, false);
    case 'REMOVE':
      // The item is gone: the voter counts for nobody, at a version above the removed one.
      return fromImage(record.oldImage ?? record.keys, record.sequenceNumber, true);
    default:
      return rejected(`unknown eventName ${JSON.stringify(record.eventName)}`);
  }
}

function fromImage(
  image: Record<string, unknown> | undefined,
  sequenceNumber: string,
  removed: boolean,
): VoteChangeResult {
  if (!image) return rejected(`no ${removed ? 'OldImage' : 'NewImage'} (the stream must be NEW_AND_OLD_IMAGES)`);
  const { VoterId: voterId, Version: version, Candidate: candidate } = image;
  if (typeof voterId !== 'string' || voterId.length === 0) return rejected('no VoterId');
  if (keyBytes(voterId) > MAX_KEY_BYTES) return rejected(`VoterId is over ${MAX_KEY_BYTES} bytes`);
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)
    return rejected('no numeric Version');
  if (candidate !== undefined && typeof candidate !== 'string') return rejected('Candidate is not a string');
  if (candidate === '' || (candidate !== undefined && keyBytes(candidate) > MAX_KEY_BYTES))
    return rejected(`Candidate is empty or over ${MAX_KEY_BYTES} bytes`);
  return ok(
    removed
      ? { voterId, version: version + 1, candidate: null, sequenceNumber }
      : { voterId, version, candidate: candidate ?? null, sequenceNumber },
  );
}
