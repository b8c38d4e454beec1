import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extractMetadata } from '../../../src/domain/files/metadata.ts';
import { countWords } from '../../../src/domain/files/words.ts';

const metadataOf = (source: string) => extractMetadata(source, new TextEncoder().encode(source));

describe('extractMetadata', () => {
  it('reads title, outline, words, reading time, links, images and the SHA-256 of the bytes', () => {
    const source = '# Guide\n\nRead [the docs](https://docs.example) now.\n\n## Install *it*\n\n![Diagram](d.png)\n';
    expect(metadataOf(source)).toEqual({
      title: 'Guide',
      outline: [
        { level: 1, text: 'Guide' },
        { level: 2, text: 'Install it' },
      ],
      wordCount: 8,
      readingTimeMinutes: 1,
      links: [{ text: 'the docs', href: 'https://docs.example' }],
      images: [{ alt: 'Diagram', src: 'd.png' }],
      sha256: createHash('sha256').update(source).digest('hex'),
    });
  });

  it('describes an empty document', () => {
    expect(extractMetadata('', new Uint8Array())).toEqual({
      title: null,
      outline: [],
      wordCount: 0,
      readingTimeMinutes: 0,
      links: [],
      images: [],
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
  });

  it('has no title without a heading', () => {
    expect(metadataOf('Just a paragraph.\n').title).toBeNull();
  });

  it('hashes the bytes given, not the text (a BOM or CRLF changes the hash, not the words)', () => {
    const withBom = Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]);
    expect(extractMetadata('a', withBom).sha256).toBe(createHash('sha256').update(withBom).digest('hex'));
    expect(metadataOf('# A\r\n\r\nb c\r\n').wordCount).toBe(metadataOf('# A\n\nb c\n').wordCount);
  });

  it('outlines every heading with its level and plain text, raw HTML headings included, empty ones left out', () => {
    const source =
      '<h1 align="center">Tool <sup>2</sup></h1>\n\n## With `code` and [link](x)\n\n#\n\nSetext\n---\n\n###### Deep\n';
    expect(metadataOf(source).outline).toEqual([
      { level: 1, text: 'Tool 2' },
      { level: 2, text: 'With code and link' },
      { level: 2, text: 'Setext' },
      { level: 6, text: 'Deep' },
    ]);
    expect(metadataOf(source).title).toBe('Tool 2');
  });

  it('rounds reading time up at 200 words a minute', () => {
    expect(metadataOf('word '.repeat(200)).readingTimeMinutes).toBe(1);
    expect(metadataOf('word '.repeat(201)).readingTimeMinutes).toBe(2);
    expect(metadataOf('one').readingTimeMinutes).toBe(1);
  });

  it('counts the words of the plain text: no markup, no URLs, no list markers; code spans yes, code blocks no', () => {
    expect(
      metadataOf(
        '# Two words\n\n*one* [two](https://a.example/b/c) `three`\n\n1. four\n2. five\n\n| six | seven |\n|---|---|\n',
      ).wordCount,
    ).toBe(9);
    expect(metadataOf('Prose here.\n\n```js\nconst notCounted = 1;\n```\n\n    indented code too\n').wordCount).toBe(2);
  });

  it('lists links deduplicated by href in order of first appearance, from Markdown, autolinks, bare URLs and raw HTML', () => {
    const source = [
      '[first](https://a.example) <https://b.example> see https://c.example/x.',
      '[again](https://a.example) [ref][r] <a href="https://d.example">raw <b>link</b></a> me@mail.example',
      '<p><a href="https://e.example">in a block</a> <a href="javascript:alert(1)">bad</a></p>',
      '[bad](javascript:alert(1)) [![badge](https://img.example/b.svg)](https://ci.example)',
      '[r]: https://ref.example',
    ].join('\n\n');
    expect(metadataOf(source).links).toEqual([
      { text: 'first', href: 'https://a.example' },
      { text: 'https://b.example', href: 'https://b.example' },
      { text: 'https://c.example/x', href: 'https://c.example/x' },
      { text: 'ref', href: 'https://ref.example' },
      { text: 'raw link', href: 'https://d.example' },
      { text: 'me@mail.example', href: 'mailto:me@mail.example' },
      { text: 'in a block', href: 'https://e.example' },
      { text: 'badge', href: 'https://ci.example' },
    ]);
  });

  it('lists every image in order, from Markdown and raw HTML, with safe sources only', () => {
    const source =
      '![a](1.png) <img src="2.png" alt="two"> ![a](1.png)\n\n<p align="center"><img src="https://x.example/3.svg"><img src="javascript:alert(1)" alt="bad"></p>\n\n![bad](data:image/png;base64,AAAA)\n';
    expect(metadataOf(source).images).toEqual([
      { alt: 'a', src: '1.png' },
      { alt: 'two', src: '2.png' },
      { alt: 'a', src: '1.png' },
      { alt: '', src: 'https://x.example/3.svg' },
    ]);
  });

  it('percent-encodes link URLs as the HTML has them', () => {
    expect(metadataOf('[x](<my file.md>) [y](https://ü.example/ä)').links.map((link) => link.href)).toEqual([
      'my%20file.md',
      'https://xn--tda.example/%C3%A4',
    ]);
  });
});

describe('countWords', () => {
  it.each([
    ['', 0],
    ['   \n\t ', 0],
    ['one two  three\nfour', 4],
    ["don't stop well-known 3.14 snake_case e.g.", 6],
    ['Über straße café naïve', 4],
    ['Здравствуй, мир! Γειά σου κόσμε', 5],
    ['مرحبا بالعالم', 2],
    ['한국어 문장입니다', 2],
    ['日本語', 3],
    ['これはテスト', 6],
    ['mixed 日本 text', 4],
    ['— – … ☑ ☐ 🎉 | - * #', 0],
    ['a1 2b 100', 3],
  ])('counts %j as %i words', (text, words) => {
    expect(countWords(text)).toBe(words);
  });
});
