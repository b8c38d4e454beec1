// A Markdown file has a name before its extension: `notes/.md` is a dotfile, not a document.
const MARKDOWN_KEY = /[^/]\.(?:md|markdown)$/i;
const LAST_EXTENSION = /\.[^./]*$/;

/** Whether an S3 key names a Markdown source (`.md` or `.markdown`, any case). */
export function isMarkdownKey(key: string): boolean {
  return MARKDOWN_KEY.test(key);
}

/**
 * The key as stored, from the form S3 puts in event notifications: URL-encoded with spaces as `+`
 * (a literal `+` arrives as `%2B`), non-ASCII as percent-encoded UTF-8. Throws a URIError on a
 * malformed escape.
 */
export function decodeS3EventKey(raw: string): string {
  return decodeURIComponent(raw.replaceAll('+', ' '));
}

export interface DerivativeKeys {
  html: string;
  text: string;
}

/**
 * Where the artifacts of a source go in OutputBucket: the same path under `html/` and `text/`, with
 * only the last extension replaced (`docs/v1.2/read.me.md` -> `html/docs/v1.2/read.me.html`).
 */
export function derivativeKeys(sourceKey: string): DerivativeKeys {
  const stem = sourceKey.replace(LAST_EXTENSION, '');
  return { html: `html/${stem}.html`, text: `text/${stem}.txt` };
}
