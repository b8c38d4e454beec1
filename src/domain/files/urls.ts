/** The only schemes a converted document may point to; a URL without a scheme is relative and safe. */
export const SAFE_URL_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];

// Browsers drop control characters and whitespace around and inside a scheme (`java\tscript:`),
// so they are removed before the scheme is read; removing more than a browser would only makes the
// check stricter.
// eslint-disable-next-line no-control-regex
const IGNORED_BY_BROWSERS = /[\u0000-\u0020\u007f-\u009f]+/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Whether a link or image URL (entities already decoded) may appear in a document: an allowlist
 * of schemes, so javascript:, vbscript:, data:, file: and anything unknown are refused.
 */
export function isSafeUrl(url: string): boolean {
  const scheme = SCHEME.exec(url.replace(IGNORED_BY_BROWSERS, ''))?.[1];
  return scheme === undefined || SAFE_URL_SCHEMES.includes(scheme.toLowerCase());
}
