import { Parser } from 'htmlparser2';
import type { Token } from './markdown.ts';
import { MAX_RAW_HTML_DEPTH, OpenTags } from './open-tags.ts';
import { isSafeUrl } from './urls.ts';

export interface Heading {
  level: number;
  text: string;
}
export interface Link {
  text: string;
  href: string;
}
export interface Image {
  alt: string;
  src: string;
}

/** What a fragment of raw HTML in Markdown contributes to the text and metadata of a document. */
export interface RawHtml {
  lines: string[];
  headings: Heading[];
  links: Link[];
  images: Image[];
}

// Elements that start a new line of text; `br` is a line break of its own.
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'caption',
  'details',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tr',
  'ul',
]);
// Elements whose content is not text a reader sees.
export const HIDDEN = new Set([
  'script',
  'style',
  'template',
  'textarea',
  'noscript',
  'title',
  'iframe',
  'noembed',
  'noframes',
  'xmp',
  'svg',
  'math',
  'object',
]);
const HEADING = /^h([1-6])$/;

/**
 * The visible text (entities decoded, tags gone, one line per block element), the headings, and
 * the links and images with safe URLs of a raw HTML fragment. A fragment may open or close tags
 * it does not contain; the parser just ignores what does not match. A fragment nested deeper than
 * MAX_RAW_HTML_DEPTH is no prose, and not worth the time its parsing would take: it gives nothing.
 */
export function readRawHtml(html: string): RawHtml {
  const result: RawHtml = { lines: [], headings: [], links: [], images: [] };
  if (new OpenTags().add(html).deepest > MAX_RAW_HTML_DEPTH) return result;
  let text = '';
  let hidden = 0;
  let heading: Heading | undefined;
  let link: Link | undefined;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (HIDDEN.has(name)) hidden += 1;
        if (BLOCKS.has(name) || name === 'br') text += '\n';
        const level = HEADING.exec(name)?.[1];
        if (level) heading = { level: Number(level), text: '' };
        if (name === 'a' && attribs.href !== undefined) link = { text: '', href: attribs.href.trim() };
        if (name === 'img' && attribs.src !== undefined && isSafeUrl(attribs.src))
          result.images.push({ alt: attribs.alt ?? '', src: attribs.src.trim() });
      },
      ontext(data) {
        if (hidden > 0) return;
        text += data;
        if (heading) heading.text += data;
        if (link) link.text += data;
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
        if (BLOCKS.has(name)) text += '\n';
        if (heading && name === `h${heading.level}`) {
          result.headings.push({ level: heading.level, text: collapse(heading.text) });
          heading = undefined;
        }
        if (link && name === 'a') {
          if (isSafeUrl(link.href)) result.links.push({ text: collapse(link.text), href: link.href });
          link = undefined;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  result.lines = text
    .split('\n')
    .map(collapse)
    .filter((line) => line.length > 0);
  return result;
}

// text.ts and metadata.ts both read an html_block of the same parse: it is scanned once.
const scanned = new WeakMap<Token, RawHtml>();

/** readRawHtml of an html_block token, remembered for as long as the token lives. */
export function rawHtmlBlock(token: Token): RawHtml {
  let raw = scanned.get(token);
  if (!raw) scanned.set(token, (raw = readRawHtml(token.content)));
  return raw;
}

/** The name and attributes of the first tag of a fragment: one `html_inline` token is one tag. */
export function readTag(html: string): { name: string; attribs: Record<string, string> } | undefined {
  let tag: { name: string; attribs: Record<string, string> } | undefined;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        tag ??= { name, attribs };
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return tag;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
