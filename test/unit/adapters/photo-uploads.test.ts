import { describe, expect, it } from 'vitest';
import { presignedPutUrl, presigningClient } from '../../../src/adapters/photo-uploads.ts';

// Signing is computed locally (no request is sent), so this needs no service.
const s3 = presigningClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});
const target = {
  bucket: 'photos-bucket',
  key: 'photos/owner-1/p1.jpg',
  contentType: 'image/jpeg',
  contentLength: 1234,
  signedAt: new Date('2026-11-22T10:16:45Z'),
  expiresInSeconds: 300,
};

describe('presignedPutUrl', () => {
  it('signs the content type, the length and the host into a 5-minute PUT URL for the key', async () => {
    const url = new URL(await presignedPutUrl(target, s3));
    expect(url.pathname.endsWith('/photos/owner-1/p1.jpg')).toBe(true);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261122T101645Z');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20261122/eu-west-1/s3/aws4_request');
  });

  it('carries no checksum of the (absent) body, which S3 would hold every upload against', async () => {
    const url = new URL(await presignedPutUrl(target, s3));
    expect([...url.searchParams.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);
  });

  it('gives another type or size another signature', async () => {
    const signature = async (change: Partial<typeof target>) =>
      new URL(await presignedPutUrl({ ...target, ...change }, s3)).searchParams.get('X-Amz-Signature');
    const base = await signature({});
    expect(await signature({ contentType: 'image/png' })).not.toBe(base);
    expect(await signature({ contentLength: 1235 })).not.toBe(base);
  });
});
