import sanitizeHtml from 'sanitize-html';
import type { IOptions } from 'sanitize-html';
import { LINK_REL, type Token } from './markdown.ts';
import { SAFE_URL_SCHEMES } from './urls.ts';

// What raw HTML in Markdown may use: close to GitHub's allowlist. No scripting, styling, embedding,
// forms, foreign content (svg, math) or raw-text elements, so the output has no context in which
// escaped text could become markup again.
const ALLOWED_TAGS = [
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'p',
  'br',
  'hr',
  'div',
  'span',
  'pre',
  'code',
  'blockquote',
  'b',
  'i',
  'strong',
  'em',
  'tt',
  'ins',
  'del',
  's',
  'strike',
  'sup',
  'sub',
  'kbd',
  'q',
  'samp',
  'var',
  'mark',
  'small',
  'abbr',
  'bdo',
  'cite',
  'dfn',
  'time',
  'wbr',
  'ruby',
  'rt',
  'rp',
  'a',
  'img',
  'picture',
  'source',
  'ol',
  'ul',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'details',
  'summary',
  'figure',
  'figcaption',
  'input',
];

const OPTIONS: IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    '*': ['align', 'title', 'lang', 'dir', 'id', 'name', 'aria-hidden', 'aria-label'],
    a: ['href', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    source: ['srcset', 'media', 'type', 'width', 'height'],
    th: ['colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
    ol: ['start', 'reversed'],
    li: ['value'],
    details: ['open'],
    time: ['datetime'],
    blockquote: ['cite'],
    q: ['cite'],
    del: ['cite'],
    ins: ['cite'],
    input: ['type', 'checked', 'disabled'],
  },
  allowedClasses: {
    code: ['language-*'],
    pre: ['language-*'],
    ul: ['contains-task-list'],
    ol: ['contains-task-list'],
    li: ['task-list-item'],
    input: ['task-list-item-checkbox'],
  },
  selfClosing: [...sanitizeHtml.defaults.selfClosing, 'source', 'wbr'],
  allowedSchemes: [...SAFE_URL_SCHEMES],
  allowedSchemesByTag: {},
  allowProtocolRelative: true,
  // Discarded with their content, not just their tags.
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'xmp',
    'template',
    'iframe',
    'noembed',
    'noframes',
    'title',
  ],
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: LINK_REL } }),
    input: taskCheckbox,
    '*': (tagName, attribs) => ({
      tagName,
      attribs: 'id' in attribs || 'name' in attribs ? withPrefixedNames(attribs) : attribs,
    }),
  },
};

/**
 * The only input left is a read-only checkbox, as in a task list item. Any other input is renamed
 * to a tag that is not allowed, so it is discarded (an input has no content to keep).
 */
function taskCheckbox(
  tagName: string,
  attribs: Record<string, string>,
): { tagName: string; attribs: Record<string, string> } {
  if (attribs.type?.toLowerCase() !== 'checkbox') return { tagName: 'discarded-input', attribs: {} };
  return {
    tagName,
    attribs: {
      type: 'checkbox',
      disabled: '',
      ...('checked' in attribs ? { checked: '' } : {}),
      ...(attribs.class ? { class: attribs.class } : {}),
    },
  };
}

// As GitHub does: an id or name from a document cannot clobber a global of the page (DOM clobbering).
const NAME_PREFIX = 'user-content-';
function withPrefixedNames(attribs: Record<string, string>): Record<string, string> {
  const renamed = { ...attribs };
  for (const name of ['id', 'name'] as const) {
    const value = renamed[name];
    if (value !== undefined) renamed[name] = value.startsWith(NAME_PREFIX) ? value : NAME_PREFIX + value;
  }
  return renamed;
}

/** Rendered HTML reduced to the allowlist: the pass every body with raw HTML in its source goes through. */
export function sanitizeBody(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

/**
 * Whether the Markdown had raw HTML: an html_block, or an html_inline in some inline token. These are
 * the only tokens markdown-it renders without escaping.
 */
export function containsRawHtml(tokens: Token[]): boolean {
  for (const token of tokens) {
    if (token.type === 'html_block') return true;
    if (token.type === 'inline' && token.children?.some((child) => child.type === 'html_inline')) return true;
  }
  return false;
}
