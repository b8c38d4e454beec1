import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { invokeFunction } from '../../support/cloud.ts';
import { documentItem, fileEvent, putFile, scratchBucket } from '../../support/files.ts';

describe('extractMetadata', () => {
  it('stores title, outline, counts, links, images and the SHA-256 of the version it read', async () => {
    const bucket = await scratchBucket('meta');
    const key = `it-meta-${process.pid}/docs/report.md`;
    const source =
      '# Report\n\nSee [the site](https://example.com) and ![a chart](chart.png).\n\n## Details\n\nMore words here.\n';
    const eTag = await putFile(bucket, key, source);
    expect(
      await invokeFunction('extractMetadata', fileEvent([{ eventName: 'ObjectCreated:Put', bucket, key }])),
    ).toMatchObject({ ok: true });
    const item = await documentItem(key);
    expect(item).toMatchObject({
      SourceKey: key,
      Bucket: bucket,
      ETag: eTag,
      Size: Buffer.byteLength(source),
      Title: 'Report',
      Outline: [
        { Level: 1, Text: 'Report' },
        { Level: 2, Text: 'Details' },
      ],
      Links: [{ Text: 'the site', Href: 'https://example.com' }],
      LinkCount: 1,
      Images: [{ Alt: 'a chart', Src: 'chart.png' }],
      ImageCount: 1,
      Sha256: createHash('sha256').update(source).digest('hex'),
      ReadingTimeMinutes: 1,
    });
    expect(item!.WordCount).toBeGreaterThanOrEqual(10);
  });
});
