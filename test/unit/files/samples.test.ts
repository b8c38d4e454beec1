import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtmlDocument } from '../../../src/domain/files/html.ts';
import { extractMetadata } from '../../../src/domain/files/metadata.ts';
import { readSource } from '../../../src/domain/files/source.ts';
import { renderPlainText } from '../../../src/domain/files/text.ts';
import { unsafeParts } from './html-safety.ts';

const SAMPLES = '/work/shared/data/markdown-samples';
const samples = readdirSync(SAMPLES)
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => {
    const bytes = new Uint8Array(readFileSync(join(SAMPLES, name)));
    const source = readSource(bytes, { maxBytes: Infinity });
    if (!source.ok) throw new Error(`${name}: ${source.reason}`);
    // The samples use ATX headings only: the expected outline is read straight from the source lines.
    const headings = source.value.split(/\r?\n/).flatMap((line) => {
      const match = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
      return match ? [{ level: match[1]!.length, text: match[2]! }] : [];
    });
    return { name, bytes, text: source.value, headings };
  });

describe('the 24 Markdown samples', () => {
  it('are all there', () => {
    expect(samples).toHaveLength(24);
    for (const sample of samples) expect(sample.headings.length, sample.name).toBeGreaterThan(0);
  });

  describe.each(samples)('$name', ({ name, bytes, text, headings }) => {
    it('becomes a full, safe HTML document titled by its first heading', () => {
      const html = renderHtmlDocument(text, { fallbackTitle: name.replace(/\.md$/, '') });
      expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
      expect(html).toContain(`<title>${headings[0]!.text}</title>`);
      for (const heading of headings) expect(html).toContain(`<h${heading.level}>${heading.text}</h${heading.level}>`);
      expect(unsafeParts(html)).toEqual([]);
    });

    it('becomes plain text with its headings as lines and no heading, emphasis or link markup', () => {
      const plain = renderPlainText(text);
      const lines = plain.split('\n');
      for (const heading of headings) expect(lines).toContain(heading.text);
      expect(plain).not.toMatch(/^#|\*\*|__|\[[^\]]*\]\(/m);
      expect(plain.endsWith('\n') && !plain.endsWith('\n\n')).toBe(true);
    });

    it('has metadata matching its headings, some words and the SHA-256 of its bytes', () => {
      const metadata = extractMetadata(text, bytes);
      expect(metadata.title).toBe(headings[0]!.text);
      expect(metadata.outline).toEqual(headings);
      expect(metadata.wordCount).toBeGreaterThan(0);
      expect(metadata.readingTimeMinutes).toBe(Math.ceil(metadata.wordCount / 200));
      expect(metadata.sha256).toBe(
        createHash('sha256')
          .update(readFileSync(join(SAMPLES, name)))
          .digest('hex'),
      );
    });
  });
});
