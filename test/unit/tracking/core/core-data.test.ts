import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fromHash,
  isNewer,
  parseCoreData,
  parseCoreDataText,
  toHash,
} from '../../../../src/domain/tracking/core-data.ts';
import type { CoreData } from '../../../../src/domain/tracking/core-data.ts';

const program: CoreData = {
  programId: 'p-1',
  programName: 'Spring sale',
  checksum: 'c0ffee',
  customerId: 42,
  customerName: 'ACME',
  valid: true,
  version: 3,
};

describe('parseCoreData', () => {
  it('accepts a complete program and drops unknown fields', () => {
    expect(parseCoreData({ ...program, extra: 'x' })).toEqual({ ok: true, value: program });
  });

  it.each([
    ['a missing programId', { ...program, programId: undefined }, /programId/],
    ['an empty programId', { ...program, programId: '' }, /programId/],
    ['a fractional version', { ...program, version: 1.5 }, /version/],
    ['a negative version', { ...program, version: -1 }, /version/],
    ['a customerId beyond int32', { ...program, customerId: 2 ** 31 }, /customerId/],
    ['valid as a string', { ...program, valid: 'true' }, /valid/],
    ['a programId longer than 128 characters', { ...program, programId: 'x'.repeat(129) }, /programId/],
  ])('rejects %s with a reason naming the field', (_label, value, field) => {
    const result = parseCoreData(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(field);
  });

  it('rejects text that is not JSON', () => {
    expect(parseCoreDataText('{"programId":')).toEqual({ ok: false, reason: 'invalid JSON' });
    expect(parseCoreDataText(JSON.stringify(program))).toEqual({ ok: true, value: program });
  });
});

describe('isNewer (the version rule)', () => {
  it('applies anything when nothing is stored', () => {
    expect(isNewer(0, undefined)).toBe(true);
  });

  it('applies only strictly newer versions: equal is a redelivery, lower is stale', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (candidate, stored) => {
        expect(isNewer(candidate, stored)).toBe(candidate > stored);
      }),
    );
  });
});

describe('Redis hash mapping', () => {
  const arbitraryProgram = fc.record({
    programId: fc.string({ minLength: 1, maxLength: 128 }),
    programName: fc.string({ maxLength: 512 }),
    checksum: fc.string({ maxLength: 256 }),
    customerId: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    customerName: fc.string({ maxLength: 512 }),
    valid: fc.boolean(),
    version: fc.nat(),
  });

  it('round-trips every valid program through its hash', () => {
    fc.assert(
      fc.property(arbitraryProgram, (value) => {
        expect(fromHash(toHash(value))).toEqual(value);
      }),
    );
  });

  it('stores every field as a string', () => {
    expect(toHash(program)).toEqual({
      programId: 'p-1',
      programName: 'Spring sale',
      checksum: 'c0ffee',
      customerId: '42',
      customerName: 'ACME',
      valid: 'true',
      version: '3',
    });
  });

  it('reads an empty hash (unknown key) or a malformed one as no program', () => {
    expect(fromHash({})).toBeUndefined();
    expect(fromHash({ ...toHash(program), version: 'three' })).toBeUndefined();
    expect(fromHash({ ...toHash(program), valid: 'yes' })).toBeUndefined();
    expect(fromHash({ ...toHash(program), customerId: '' })).toBeUndefined();
  });
});
