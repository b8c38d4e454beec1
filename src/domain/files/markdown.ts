import MarkdownIt from 'markdown-it';
import type { RendererRule, Token } from 'markdown-it';
import { taskLists } from './task-lists.ts';
import { isSafeUrl } from './urls.ts';

export type { Token };

/** What every link in a converted document carries: no ranking credit, no opener, no referrer. */
export const LINK_REL = 'nofollow noopener noreferrer';

/**
 * The one Markdown dialect of the pipeline: CommonMark plus GitHub tables, strikethrough, task lists
 * and fenced code (`class="language-x"`), bare URLs linked, no typographic replacements. Raw HTML is
 * parsed into html_block/html_inline tokens; html.ts sanitizes it, text.ts strips it.
 */
export const markdown = createMarkdown();

function createMarkdown() {
  const md = new MarkdownIt('default', { html: true, linkify: true, typographer: false, langPrefix: 'language-' });
  // markdown-it drops a link or image whose URL fails this test (the text stays as written), and
  // linkify and autolinks go through it too: so no generated href or src has an unsafe scheme.
  md.validateLink = isSafeUrl;
  md.use(taskLists);
  md.renderer.rules.link_open = withRel;
  md.renderer.rules.th_open = alignWithoutStyle;
  md.renderer.rules.td_open = alignWithoutStyle;
  return md;
}

/**
 * Renders a parsed document with its raw HTML shown as the text it is, escaped like any other text:
 * for raw HTML too deeply nested to sanitize in reasonable time (html.ts).
 */
export function renderRawHtmlAsText(tokens: Token[]): string {
  return rawHtmlAsText.renderer.render(tokens, rawHtmlAsText.options, {});
}

const rawHtmlAsText = createMarkdown();
rawHtmlAsText.renderer.rules.html_block = (tokens, idx) =>
  `<pre><code>${rawHtmlAsText.utils.escapeHtml(tokens[idx]!.content)}</code></pre>\n`;
rawHtmlAsText.renderer.rules.html_inline = (tokens, idx) => rawHtmlAsText.utils.escapeHtml(tokens[idx]!.content);

/** The token stream of a Markdown document: what html.ts, text.ts and metadata.ts each read once. */
export function parse(source: string): Token[] {
  return markdown.parse(source, {});
}

function withRel(...[tokens, idx, options, , renderer]: Parameters<RendererRule>): string {
  tokens[idx]!.attrSet('rel', LINK_REL);
  return renderer.renderToken(tokens, idx, options);
}

// Table alignment becomes GitHub's `align` attribute: documents carry no style attributes at all.
function alignWithoutStyle(...[tokens, idx, options, , renderer]: Parameters<RendererRule>): string {
  const token = tokens[idx]!;
  const style = token.attrGet('style');
  if (typeof style === 'string' && style.startsWith('text-align:')) {
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
    token.attrSet('align', style.slice('text-align:'.length));
  }
  return renderer.renderToken(tokens, idx, options);
}
