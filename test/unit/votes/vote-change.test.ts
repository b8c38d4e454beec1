import { describe, expect, it } from 'vitest';
import { MAX_KEY_BYTES, voteChangeOf } from '../../../src/domain/votes/vote-change.ts';
import type { VoteStreamRecord } from '../../../src/domain/votes/vote-change.ts';

const item = (version: unknown, candidate: unknown = 'RED', voterId: unknown = 'alice') => ({
  VoterId: voterId,
  Candidate: candidate,
  Version: version,
  Channel: 'web',
});
const record = (eventName: string | undefined, images: Partial<VoteStreamRecord>): VoteStreamRecord => ({
  eventName,
  sequenceNumber: '100',
  keys: { VoterId: 'alice' },
  newImage: undefined,
  oldImage: undefined,
  ...images,
});

describe('voteChangeOf', () => {
  it('reads an INSERT as the new vote at its version', () => {
    expect(voteChangeOf(record('INSERT', { newImage: item(1) }))).toEqual({
      ok: true,
      value: { voterId: 'alice', version: 1, candidate: 'RED', sequenceNumber: '100' },
    });
  });

  it('reads a MODIFY from the new image', () => {
    expect(voteChangeOf(record('MODIFY', { newImage: item(2, 'BLUE'), oldImage: item(1) }))).toMatchObject({
      ok: true,
      value: { version: 2, candidate: 'BLUE' },
    });
  });

  it('reads a REMOVE as counting for nobody, one version above the removed item', () => {
    expect(voteChangeOf(record('REMOVE', { oldImage: item(3, 'GREEN') }))).toEqual({
      ok: true,
      value: { voterId: 'alice', version: 4, candidate: null, sequenceNumber: '100' },
    });
  });

  it('reads an item without a candidate as counting for nobody', () => {
    expect(voteChangeOf(record('MODIFY', { newImage: { VoterId: 'alice', Version: 5 } }))).toMatchObject({
      ok: true,
      value: { candidate: null, version: 5 },
    });
  });

  it('accepts keys of exactly 2048 bytes', () => {
    expect(
      voteChangeOf(record('INSERT', { newImage: item(1, 'c'.repeat(MAX_KEY_BYTES), 'v'.repeat(MAX_KEY_BYTES)) })),
    ).toMatchObject({ ok: true });
  });

  it.each([
    ['no VoterId', record('INSERT', { newImage: { Candidate: 'RED', Version: 1 } }), /no VoterId/],
    ['an empty VoterId', record('INSERT', { newImage: item(1, 'RED', '') }), /no VoterId/],
    ['no Version', record('INSERT', { newImage: { VoterId: 'alice', Candidate: 'RED' } }), /no numeric Version/],
    ['a Version that is not a number', record('INSERT', { newImage: item('1') }), /no numeric Version/],
    ['a fractional Version', record('INSERT', { newImage: item(1.5) }), /no numeric Version/],
    ['a NaN Version', record('INSERT', { newImage: item(Number.NaN) }), /no numeric Version/],
    ['a Candidate that is not a string', record('INSERT', { newImage: item(1, 7) }), /Candidate/],
    ['no NewImage (KEYS_ONLY stream)', record('INSERT', {}), /NewImage/],
    ['a REMOVE without OldImage', record('REMOVE', {}), /no numeric Version/],
    ['an unknown eventName', record('TRUNCATE', { newImage: item(1) }), /eventName/],
    // Keys DynamoDB refuses (VoterId keys the applied votes, Candidate the totals): never writable, so never retried.
    [
      'a VoterId over 2048 bytes (in fewer, two-byte characters)',
      record('INSERT', { newImage: item(1, 'RED', 'é'.repeat(MAX_KEY_BYTES / 2 + 1)) }),
      /VoterId is over 2048 bytes/,
    ],
    ['an empty Candidate', record('INSERT', { newImage: item(1, '') }), /Candidate is empty/],
    [
      'a Candidate over 2048 bytes',
      record('MODIFY', { newImage: item(2, 'c'.repeat(MAX_KEY_BYTES + 1)) }),
      /Candidate is empty or over 2048 bytes/,
    ],
  ])('rejects a record with %s', (_label, input, reason) => {
    const result = voteChangeOf(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });
});
