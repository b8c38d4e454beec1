import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, physicalId } from '../support/cloud.ts';
import { deleteFile, documentItem, listKeys, putFile } from '../support/files.ts';

// The 24 samples of ../shared/data/markdown-samples, copied so a clean clone has them.
const samples = join(import.meta.dirname, '../fixtures/markdown-samples');

describe('file processing, end to end: InputBucket -> SNS -> renderHtml, renderText, extractMetadata', () => {
  it('turns 24 uploads into 72 artifacts, and deleting one source removes its three', async () => {
    const input = physicalId('InputBucket');
    const output = physicalId('OutputBucket');
    const prefix = `e2e-${process.pid}-${Date.now()}`;
    const files = readdirSync(samples)
      .filter((name) => name.endsWith('.md'))
      .sort();
    expect(files).toHaveLength(24);
    await Promise.all(files.map((name) => putFile(input, `${prefix}/${name}`, readFileSync(join(samples, name)))));

    const artifacts = async () => ({
      html: await listKeys(output, `html/${prefix}/`),
      text: await listKeys(output, `text/${prefix}/`),
      documents: (await Promise.all(files.map((name) => documentItem(`${prefix}/${name}`)))).filter(Boolean).length,
    });
    await eventually(
      async () => {
        const now = await artifacts();
        expect({ html: now.html.length, text: now.text.length, documents: now.documents }).toEqual({
          html: 24,
          text: 24,
          documents: 24,
        });
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    await deleteFile(input, `${prefix}/${files[0]}`);
    const stem = files[0]!.replace(/\.md$/, '');
    await eventually(
      async () => {
        const now = await artifacts();
        expect(now.html).not.toContain(`html/${prefix}/${stem}.html`);
        expect(now.text).not.toContain(`text/${prefix}/${stem}.txt`);
        expect({ html: now.html.length, text: now.text.length, documents: now.documents }).toEqual({
          html: 23,
          text: 23,
          documents: 23,
        });
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  });
});
