import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decidePhotoUpload, PHOTO_TYPES, uploadExpiry } from '../../../src/domain/mobile/photos.ts';

const MAX = 10 * 1024 * 1024;
const owner = '0b5c7e2a-1d3f-8a4b-9c6d-7e8f9a0b1c2d';
const photoId = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
const request = (contentType: string, size: number) => ({ contentType, size, owner, photoId });

describe('decidePhotoUpload', () => {
  it('puts an image under its owner, with the extension of its type', () => {
    expect(decidePhotoUpload(request('image/jpeg', 1234), MAX)).toEqual({
      ok: true,
      value: { contentType: 'image/jpeg', size: 1234, key: `photos/${owner}/${photoId}.jpg` },
    });
    for (const [type, extension] of Object.entries(PHOTO_TYPES)) {
      const decision = decidePhotoUpload(request(type, 1), MAX);
      expect(decision.ok && decision.value.key).toBe(`photos/${owner}/${photoId}.${extension}`);
    }
  });

  it('normalises the type: case, spaces and parameters', () => {
    const decision = decidePhotoUpload(request(' Image/PNG; foo=bar', 10), MAX);
    expect(decision.ok && decision.value.contentType).toBe('image/png');
  });

  it('refuses what is not one of the image types', () => {
    for (const type of [
      'image/svg+xml',
      'text/html',
      'application/octet-stream',
      'image/',
      'image',
      'jpeg',
      '',
      'constructor',
      '__proto__',
      'image/jpeg2',
    ]) {
      expect(decidePhotoUpload(request(type, 10), MAX)).toMatchObject({
        ok: false,
        reason: { kind: 'unsupported-type', accepted: Object.keys(PHOTO_TYPES) },
      });
    }
  });

  it('accepts exactly the sizes from 1 byte to the maximum', () => {
    expect(decidePhotoUpload(request('image/gif', 1), MAX).ok).toBe(true);
    expect(decidePhotoUpload(request('image/gif', MAX), MAX).ok).toBe(true);
    for (const size of [0, -1, MAX + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(decidePhotoUpload(request('image/gif', size), MAX)).toMatchObject({
        ok: false,
        reason: { kind: 'bad-size', maxBytes: MAX },
      });
    }
    fc.assert(
      fc.property(fc.double(), (size) => {
        const decision = decidePhotoUpload(request('image/webp', size), MAX);
        expect(decision.ok).toBe(Number.isInteger(size) && size >= 1 && size <= MAX);
      }),
    );
  });

  it('never lets an owner id leave its key segment', () => {
    for (const bad of ['', '../x', 'a/b', 'a b', '..', 'x'.repeat(129)]) {
      expect(decidePhotoUpload({ ...request('image/jpeg', 1), owner: bad }, MAX)).toMatchObject({
        ok: false,
        reason: { kind: 'bad-owner' },
      });
    }
    fc.assert(
      fc.property(fc.string(), (candidate) => {
        const decision = decidePhotoUpload({ ...request('image/jpeg', 1), owner: candidate }, MAX);
        if (decision.ok) expect(decision.value.key.split('/')).toEqual(['photos', candidate, `${photoId}.jpg`]);
      }),
    );
  });

  it('expires URLs five minutes after signing', () => {
    expect(uploadExpiry(Date.UTC(2026, 0, 1)).toISOString()).toBe('2026-01-01T00:05:00.000Z');
  });
});
