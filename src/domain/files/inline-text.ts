import type { Token } from './markdown.ts';
import { HIDDEN } from './raw-html.ts';
import { TASK_CHECKBOX } from './task-lists.ts';

const BR = /^<br\s*\/?>$/i;
const TAG = /^<(\/?)([a-z][a-z0-9-]*)/i;

/**
 * The text a reader sees in inline tokens: markup gone, link text kept (not URLs), images as their
 * alt text, code spans verbatim, raw HTML tags dropped (`<br>` is a line break), entities already
 * decoded by markdown-it; text inside inline `<script>`, `<style>` and the like dropped too. Line
 * breaks become `lineBreak`.
 */
export function inlineText(children: Token[] | null, lineBreak = '\n'): string {
  let text = '';
  let hidden = 0;
  for (const token of children ?? []) {
    if (token.type === 'html_inline') hidden = Math.max(0, hidden + hiddenDepthChange(token.content));
    if (hidden > 0) continue;
    switch (token.type) {
      case 'text':
      case 'text_special':
      case 'code_inline':
        text += token.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        text += lineBreak;
        break;
      case 'image':
        text += inlineText(token.children, lineBreak);
        break;
      case 'html_inline':
        if (BR.test(token.content)) text += lineBreak;
        break;
      case TASK_CHECKBOX:
        text += token.meta?.checked ? '☑' : '☐';
        break;
    }
  }
  return text;
}

/** Inline text on one line with runs of whitespace collapsed: for headings, titles and link text. */
export function inlineLine(children: Token[] | null): string {
  return inlineText(children, ' ').replace(/\s+/g, ' ').trim();
}

/** +1 for a tag that opens an element with invisible content, -1 for one that closes it. */
function hiddenDepthChange(tag: string): number {
  const [, slash, name] = TAG.exec(tag) ?? [];
  if (!name || !HIDDEN.has(name.toLowerCase()) || tag.endsWith('/>')) return 0;
  return slash ? -1 : 1;
}
