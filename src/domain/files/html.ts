import { markdown, parse, renderRawHtmlAsText, type Token } from './markdown.ts';
import { MAX_RAW_HTML_DEPTH } from './open-tags.ts';
import { documentTitle } from './outline.ts';
import { planRegions } from './regions.ts';
import { containsRawHtml, sanitizeBody } from './sanitize.ts';

/** No script may run, whatever got through: only inline styles and images load. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'";

const STYLESHEET = [
  'body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff}',
  'main{max-width:860px;margin:0 auto;padding:2rem 1rem}',
  'h1,h2{border-bottom:1px solid #d1d9e0;padding-bottom:.3em}',
  'a{color:#0969da}img{max-width:100%}',
  'code,kbd,pre,samp,tt{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}',
  'code,kbd{background:#eff1f3;border-radius:4px;padding:.1em .3em}',
  'pre{background:#f6f8fa;padding:1em;overflow:auto;border-radius:6px}pre code{background:none;padding:0}',
  'blockquote{margin:0;padding:0 1em;color:#59636e;border-left:.25em solid #d1d9e0}',
  'table{border-collapse:collapse}th,td{border:1px solid #d1d9e0;padding:.4em .8em}',
  '.contains-task-list{list-style:none;padding-left:1.2em}',
].join('\n');

/**
 * A complete, self-contained HTML5 document for a Markdown source that nobody trusts: titled by its
 * first heading (or `fallbackTitle`, the file name), its body in `<main>`.
 */
export function renderHtmlDocument(markdownSource: string, { fallbackTitle }: { fallbackTitle: string }): string {
  const tokens = parse(markdownSource);
  return htmlDocument(documentTitle(tokens) ?? fallbackTitle, renderSafeBody(tokens));
}

/**
 * The body HTML of a parsed document, safe to serve.
 *
 * Why only raw HTML goes through the sanitizer: everything else markdown-it writes is its own fixed
 * markup with every piece of source text and every attribute value escaped, and every link and image
 * URL (inline, reference, autolink, linkify) checked by `validateLink` (markdown.ts), which keeps
 * only http, https, mailto and relative URLs; our own rules (task checkboxes, rel, align) write
 * constant markup. So only html_block and html_inline tokens can put markup of the author's choosing
 * into the output. A document without them is rendered as is.
 *
 * With them, the regions of top-level blocks that raw HTML can reach (regions.ts) are each rendered
 * and sanitized as a whole (a raw tag may open in one token and close in another, and a whole region
 * shows the structure a browser will build); the other regions are rendered as is. That is as safe
 * as sanitizing the whole body wherever the regions end: a sanitized region holds only allowlisted
 * elements, none of which (no script, style, textarea, title, iframe, svg, math...) switches a
 * browser out of normal parsing, with all text escaped and all attribute values quoted; so the
 * markup that follows it is read as written, and that markup is markdown-it's own. Most READMEs
 * have raw HTML only in a few blocks (badges, a centered logo), so most of their body skips the
 * sanitizer, which is the dominant cost (bench/files-convert.ts).
 *
 * Raw HTML nested deeper than MAX_RAW_HTML_DEPTH is shown as escaped text instead: parsing it would
 * take time that grows with the square of its depth.
 */
export function renderSafeBody(tokens: Token[]): string {
  if (!containsRawHtml(tokens)) return render(tokens);
  const { regions, rawDepth } = planRegions(tokens);
  if (rawDepth > MAX_RAW_HTML_DEPTH) return renderRawHtmlAsText(tokens);
  let html = '';
  for (const { start, end, raw } of regions) {
    const part = render(tokens.slice(start, end));
    html += raw ? sanitizeBody(part) : part;
  }
  return html;
}

function render(tokens: Token[]): string {
  return markdown.renderer.render(tokens, markdown.options, {});
}

function htmlDocument(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<title>${markdown.utils.escapeHtml(title)}</title>
<style>
${STYLESHEET}
</style>
</head>
<body>
<main>
${body}</main>
</body>
</html>
`;
}
