import { describe, expect, it } from 'vitest';
import { localCloud, physicalId } from '../../support/cloud.ts';
import { putFile, scratchBucket } from '../../support/files.ts';

// The pipeline console's view of the stack's buckets (GET /_local/buckets, GET /_local/s3/<bucket>/<key>).
const consoleUrl = (path: string) => `${localCloud().endpoints.console}${path}`;
const objectPath = (bucket: string, key: string) =>
  `/_local/s3/${encodeURIComponent(bucket)}/${encodeURIComponent(key)}`;

describe('pipeline console: buckets', () => {
  it('lists every bucket of the stack with its logical id, count and newest objects first', async () => {
    const output = physicalId('OutputBucket');
    const key = `console-it-${process.pid}-${Date.now()}.html`;
    await putFile(output, key, '<p>newest</p>');
    const response = await fetch(consoleUrl('/_local/buckets'));
    expect(response.headers.get('cache-control')).toBe('no-store');
    const buckets = (await response.json()) as Array<{
      logicalId: string;
      name: string;
      count: number;
      objects: Array<{ key: string; size: number; lastModified: string }>;
    }>;
    const stackBuckets = Object.entries(localCloud().resources).filter(([, r]) => r.type === 'AWS::S3::Bucket');
    expect(buckets.map((b) => b.logicalId).sort()).toEqual(stackBuckets.map(([logicalId]) => logicalId).sort());
    const listed = buckets.find((b) => b.logicalId === 'OutputBucket')!;
    expect(listed.name).toBe(output);
    expect(listed.objects.length).toBeLessThanOrEqual(100);
    expect(listed.count).toBeGreaterThanOrEqual(listed.objects.length);
    expect(listed.objects).toContainEqual({ key, size: 13, lastModified: expect.any(String) });
    const times = listed.objects.map((o) => o.lastModified);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('serves an object under a key with spaces, plus signs and unicode, sandboxed', async () => {
    const input = physicalId('InputBucket');
    const key = `console-it-${process.pid}/a b+c/ünï.txt`;
    await putFile(input, key, 'plain');
    for (const path of [
      objectPath(input, key),
      `/_local/s3/${input}/${key.split('/').map(encodeURIComponent).join('/')}`,
    ]) {
      const response = await fetch(consoleUrl(path));
      expect(response.status, path).toBe(200);
      expect(await response.text()).toBe('plain');
      expect(response.headers.get('content-security-policy')).toBe(
        "sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline'",
      );
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it("answers 404 for a bucket that is not the stack's, and for a missing key", async () => {
    const other = await scratchBucket('console');
    await putFile(other, 'private.txt', 'not for the console');
    for (const path of [
      objectPath(other, 'private.txt'),
      objectPath(physicalId('InputBucket'), `no-such-key-${process.pid}`),
    ]) {
      const response = await fetch(consoleUrl(path));
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });
});
