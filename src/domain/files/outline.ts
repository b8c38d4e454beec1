import type { Token } from './markdown.ts';
import { inlineLine } from './inline-text.ts';
import { rawHtmlBlock, type Heading } from './raw-html.ts';

/**
 * The headings of a document in order, Markdown ones and those written in raw HTML blocks (READMEs
 * often open with `<h1 align="center">`), skipping headings without text.
 */
export function outline(tokens: Token[], limit = Infinity): Heading[] {
  const headings: Heading[] = [];
  for (let i = 0; i < tokens.length && headings.length < limit; i += 1) {
    for (const heading of headingsAt(tokens, i))
      if (heading.text !== '' && headings.length < limit) headings.push(heading);
  }
  return headings;
}

function headingsAt(tokens: Token[], i: number): Heading[] {
  const token = tokens[i]!;
  if (token.type === 'heading_open')
    return [{ level: Number(token.tag.slice(1)), text: inlineLine(tokens[i + 1]?.children ?? null) }];
  return token.type === 'html_block' ? rawHtmlBlock(token).headings : [];
}

/** The text of the first heading, or null when the document has none. */
export function documentTitle(tokens: Token[]): string | null {
  return outline(tokens, 1)[0]?.text ?? null;
}
