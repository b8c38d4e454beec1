import { createHash } from 'node:crypto';
import { inlineLine } from './inline-text.ts';
import { parse, type Token } from './markdown.ts';
import { outline } from './outline.ts';
import { rawHtmlBlock, readTag, type Heading, type Image, type Link } from './raw-html.ts';
import { textLines } from './text.ts';
import { isSafeUrl } from './urls.ts';
import { countWords } from './words.ts';

export type { Heading, Image, Link };

export interface DocumentMetadata {
  /** The text of the first heading, null when there is none. */
  title: string | null;
  outline: Heading[];
  wordCount: number;
  readingTimeMinutes: number;
  /** Deduplicated by href, in order of first appearance. */
  links: Link[];
  /** Every image, in order. */
  images: Image[];
  /** Hex SHA-256 of the source bytes. */
  sha256: string;
}

const WORDS_PER_MINUTE = 200;

/**
 * What the Documents table stores about a source. Words are those of its plain text (text.ts) outside
 * code blocks: reading time is about prose, and code is read differently, so fenced and indented code
 * blocks do not count; inline code spans do. Links and images come from Markdown and from raw HTML.
 */
export function extractMetadata(markdownSource: string, sourceBytes: Uint8Array): DocumentMetadata {
  const tokens = parse(markdownSource);
  const headings = outline(tokens);
  const wordCount = countWords(
    textLines(tokens)
      .filter((line) => !line.code)
      .map((line) => line.text)
      .join('\n'),
  );
  return {
    title: headings[0]?.text ?? null,
    outline: headings,
    wordCount,
    readingTimeMinutes: Math.ceil(wordCount / WORDS_PER_MINUTE),
    ...linksAndImages(tokens),
    sha256: createHash('sha256').update(sourceBytes).digest('hex'),
  };
}

function linksAndImages(tokens: Token[]): { links: Link[]; images: Image[] } {
  const links = new Map<string, Link>();
  const images: Image[] = [];
  const addLink = (link: Link) => {
    if (!links.has(link.href)) links.set(link.href, link);
  };
  for (const token of tokens) {
    if (token.type === 'html_block') {
      const raw = rawHtmlBlock(token);
      raw.links.forEach(addLink);
      images.push(...raw.images);
    } else if (token.type === 'inline') {
      collectInline(token.children ?? [], addLink, images);
    }
  }
  return { links: [...links.values()], images };
}

const HTML_LINK_OPEN = /^<a\s/i;
const HTML_LINK_CLOSE = /^<\/a\s*>$/i;
const HTML_IMAGE = /^<img\s/i;

/** Links (Markdown, autolinks, bare URLs, raw `<a href>`) and images (Markdown, raw `<img>`) of one inline token. */
function collectInline(children: Token[], addLink: (link: Link) => void, images: Image[]): void {
  let open: { href: string; parts: Token[] } | undefined;
  const close = () => {
    if (open && isSafeUrl(open.href)) addLink({ text: inlineLine(open.parts), href: open.href });
    open = undefined;
  };
  for (const child of children) {
    if (child.type === 'link_open') open = { href: String(child.attrGet('href') ?? ''), parts: [] };
    else if (child.type === 'link_close') close();
    else if (child.type === 'html_inline' && HTML_LINK_OPEN.test(child.content)) {
      const href = readTag(child.content)?.attribs.href;
      open = href === undefined ? undefined : { href: href.trim(), parts: [] };
    } else if (child.type === 'html_inline' && HTML_LINK_CLOSE.test(child.content)) close();
    else {
      open?.parts.push(child);
      if (child.type === 'image')
        images.push({ alt: inlineLine(child.children), src: String(child.attrGet('src') ?? '') });
      if (child.type === 'html_inline' && HTML_IMAGE.test(child.content)) images.push(...htmlImage(child.content));
    }
  }
}

function htmlImage(tag: string): Image[] {
  const attribs = readTag(tag)?.attribs;
  return attribs?.src !== undefined && isSafeUrl(attribs.src)
    ? [{ alt: attribs.alt ?? '', src: attribs.src.trim() }]
    : [];
}
