import { describe, expect, it } from 'vitest';
import { invokeFunction, physicalId } from '../../support/cloud.ts';
import { fileEvent, putFile, readFile, scratchBucket } from '../../support/files.ts';

describe('renderText', () => {
  it('writes readable plain text: blocks on their own lines, link text kept, markup gone', async () => {
    const bucket = await scratchBucket('text');
    const key = `it-text-${process.pid}/notes.markdown`;
    await putFile(bucket, key, '# Title\n\nA **bold** [link](https://example.com).\n\n- one\n- two\n');
    expect(
      await invokeFunction('renderText', fileEvent([{ eventName: 'ObjectCreated:Put', bucket, key }])),
    ).toMatchObject({ ok: true });
    const text = (await readFile(physicalId('OutputBucket'), `text/it-text-${process.pid}/notes.txt`))!;
    expect(text.contentType).toBe('text/plain; charset=utf-8');
    const lines = text.body.split('\n').filter((line) => line.trim() !== '');
    expect(lines[0]).toBe('Title');
    expect(lines[1]).toBe('A bold link.');
    expect(lines.slice(2).map((line) => line.replace(/^[-*•]\s*/, ''))).toEqual(['one', 'two']);
    expect(text.body).not.toMatch(/[*#[\]]|https:/);
  });
});
