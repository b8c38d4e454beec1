// A tag as an HTML tokenizer sees one: `<` and a letter start it, the name runs to space, `/` or `>`.
const TAG = /<(\/?)([a-z][^\s/>]*)/gi;
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/**
 * How many elements raw HTML leaves open, counted with a regex instead of a parser: at least as many
 * as an HTML parser would have open, never fewer. A close tag only cancels an open tag of its own
 * name, so per name the count stays at or above the parser's; tags in comments or script text and
 * elements a parser closes implicitly (`<p>`, `<li>`) only make it higher.
 */
export class OpenTags {
  readonly #open = new Map<string, number>();
  /** Elements open now. */
  count = 0;
  /** The most that were open at any point. */
  deepest = 0;

  add(html: string): this {
    for (const [, slash, tagName] of html.matchAll(TAG)) {
      const name = tagName!.toLowerCase();
      if (VOID.has(name)) continue;
      const open = this.#open.get(name) ?? 0;
      if (!slash) {
        this.#open.set(name, open + 1);
        this.deepest = Math.max(this.deepest, ++this.count);
      } else if (open > 0) {
        this.#open.set(name, open - 1);
        this.count -= 1;
      }
    }
    return this;
  }
}

/**
 * Raw HTML nested deeper than this is not parsed: HTML parsers (htmlparser2, and sanitize-html on
 * top of it) slow down with the depth of the open elements, so thousands of unclosed tags would take
 * minutes. READMEs stay far below it (bench/files-convert.ts reports the deepest in its corpus).
 */
export const MAX_RAW_HTML_DEPTH = 200;
