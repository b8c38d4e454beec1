import type { Token } from './markdown.ts';
import { OpenTags } from './open-tags.ts';

/** Consecutive top-level blocks `tokens[start, end)`; `raw` when raw HTML may shape any of them. */
export interface Region {
  start: number;
  end: number;
  raw: boolean;
}

/**
 * Splits a document into regions that can be rendered on their own: a raw region starts at a block
 * with raw HTML and runs on while an element opened by raw HTML may still be open (`<details>`
 * before Markdown blocks and `</details>` after them are one region). The count errs towards "still
 * open" (open-tags.ts), which only makes a region longer; where regions end is a question of speed
 * and of structure, never of safety (see html.ts). Also says how deep raw HTML nests at most.
 */
export function planRegions(tokens: Token[]): { regions: Region[]; rawDepth: number } {
  const regions: Region[] = [];
  const open = new OpenTags();
  let start = 0;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (token.level !== 0 || token.nesting === 1) continue; // not the last token of a top-level block
    const rawTags = rawHtmlIn(tokens, start, i + 1);
    const raw = open.count > 0 || rawTags.length > 0;
    for (const html of rawTags) open.add(html);
    const last = regions.at(-1);
    if (last && last.raw === raw) last.end = i + 1;
    else regions.push({ start, end: i + 1, raw });
    start = i + 1;
  }
  return { regions, rawDepth: open.deepest };
}

/** The raw HTML of tokens[start, end), in order: html_block contents and html_inline tags. */
function rawHtmlIn(tokens: Token[], start: number, end: number): string[] {
  const html: string[] = [];
  for (let i = start; i < end; i += 1) {
    const token = tokens[i]!;
    if (token.type === 'html_block') html.push(token.content);
    else if (token.type === 'inline')
      for (const child of token.children ?? []) if (child.type === 'html_inline') html.push(child.content);
  }
  return html;
}
