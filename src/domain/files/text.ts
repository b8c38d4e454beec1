import { inlineLine, inlineText } from './inline-text.ts';
import { parse, type Token } from './markdown.ts';
import { rawHtmlBlock } from './raw-html.ts';

/** One line of the plain text: the list markers or indentation before it, its words, and whether it is code. */
export interface TextLine {
  prefix: string;
  text: string;
  code: boolean;
}

interface OpenItem {
  marker: string;
  pending: boolean;
}

const BLANK: TextLine = { prefix: '', text: '', code: false };

/**
 * Readable plain text of a Markdown document: headings, paragraphs, list items (`- ` or `1. `),
 * block quotes and table rows (cells separated by ` | `) on lines of their own, a blank line between
 * blocks, code verbatim, no markup. Ends with one newline; an empty document gives ''.
 */
export function renderPlainText(markdownSource: string): string {
  const lines = textLines(parse(markdownSource));
  return lines.length === 0 ? '' : `${lines.map((line) => line.prefix + line.text).join('\n')}\n`;
}

/** The lines of the plain text of a parsed document (metadata.ts counts their words). */
export function textLines(tokens: Token[]): TextLine[] {
  const out: TextLine[] = [];
  const items: OpenItem[] = [];
  const ordered: boolean[] = []; // one entry per open list
  let row: string[] = [];

  // A list is one block; anything else outside a list starts a block of its own. The blank line
  // goes in with the block's first line, so a block with no text leaves no trace.
  let blockStarted = false;
  const startBlock = () => {
    if (ordered.length === 0) blockStarted = true;
  };
  // Inside list items, the first line of an item carries its marker, the others line up under its text.
  const emit = (text: string, code = false) => {
    const prefix = items.map((item) => (item.pending ? item.marker : ' '.repeat(item.marker.length))).join('');
    for (const item of items) item.pending = false;
    if (blockStarted && out.length > 0) out.push(BLANK);
    blockStarted = false;
    out.push({ prefix, text: code ? text : text.trimEnd(), code });
  };

  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    switch (token.type) {
      case 'bullet_list_open':
      case 'ordered_list_open':
        startBlock();
        ordered.push(token.type === 'ordered_list_open');
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        ordered.pop();
        break;
      case 'list_item_open':
        items.push({ marker: ordered.at(-1) ? `${token.info}. ` : '- ', pending: true });
        break;
      case 'list_item_close':
        items.pop();
        break;
      case 'paragraph_open':
      case 'heading_open':
      case 'table_open':
        startBlock();
        break;
      case 'inline':
        emitInline(tokens, i, emit, row);
        break;
      case 'tr_open':
        row = [];
        break;
      case 'tr_close':
        emit(row.join(' | '));
        break;
      case 'fence':
      case 'code_block':
        startBlock();
        if (token.content !== '') for (const line of token.content.replace(/\n$/, '').split('\n')) emit(line, true);
        break;
      case 'html_block': {
        startBlock();
        for (const line of rawHtmlBlock(token).lines) emit(line);
        break;
      }
    }
  }
  return out;
}

function emitInline(tokens: Token[], i: number, emit: (text: string) => void, row: string[]): void {
  const inline = tokens[i]!;
  const parent = tokens[i - 1]?.type;
  if (parent === 'th_open' || parent === 'td_open') row.push(inlineLine(inline.children));
  else if (parent === 'heading_open') emit(inlineLine(inline.children));
  else for (const line of inlineText(inline.children).split('\n')) if (line.trim() !== '') emit(line.trim());
}
