import { describe, expect, it } from 'vitest';
import { bodyByteLength, mediaType } from '../../../src/domain/http/body.ts';

describe('mediaType', () => {
  it.each([
    ['application/json', 'application/json'],
    ['Application/JSON; charset=UTF-8', 'application/json'],
    ['  application/x-www-form-urlencoded ;charset=utf-8', 'application/x-www-form-urlencoded'],
    ['', undefined],
    [undefined, undefined],
  ])('of %j is %j', (header, expected) => {
    expect(mediaType(header)).toBe(expected);
  });
});

describe('bodyByteLength', () => {
  it('counts UTF-8 bytes, not characters', () => {
    expect(bodyByteLength('héllo', false)).toBe(6);
  });

  it('counts the decoded bytes of a base64 body', () => {
    expect(bodyByteLength(Buffer.from('x'.repeat(1000)).toString('base64'), true)).toBe(1000);
  });

  it('counts a missing body as empty', () => {
    expect(bodyByteLength(undefined, false)).toBe(0);
  });
});
