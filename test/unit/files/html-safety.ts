import { Parser } from 'htmlparser2';

// Test helper for html.test.ts, xss.test.ts and samples.test.ts: judges the parsed output, not its text.
const FORBIDDEN_ELEMENTS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'style',
  'base',
  'link',
  'meta',
  'form',
  'button',
  'textarea',
  'select',
  'svg',
  'math',
  'template',
  'noscript',
  'xmp',
  'plaintext',
]);
const FORBIDDEN_ATTRIBUTES = new Set([
  'style',
  'srcdoc',
  'formaction',
  'action',
  'xlink:href',
  'background',
  'dynsrc',
  'lowsrc',
]);
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'cite',
  'longdesc',
  'poster',
  'background',
  'data',
  'xlink:href',
]);
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/** Whether a URL (entities already decoded by the parser) leads somewhere harmless: http(s), mailto, relative or a fragment. */
export function isSafeUrlValue(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1];
  return scheme === undefined || SAFE_SCHEMES.has(scheme.toLowerCase());
}

/**
 * What is unsafe in the body of an HTML document (or in a body fragment): forbidden elements, event
 * handler and other forbidden attributes, URLs with an unsafe scheme, inputs other than disabled
 * checkboxes. An empty list means safe.
 */
export function unsafeParts(html: string): string[] {
  const problems: string[] = [];
  const wholeDocument = /^<!doctype html>/i.test(html);
  let inBody = !wholeDocument;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === 'body') inBody = true;
        if (!inBody) return;
        if (FORBIDDEN_ELEMENTS.has(name)) problems.push(`<${name}>`);
        if (name === 'input' && !(attribs.type === 'checkbox' && 'disabled' in attribs))
          problems.push(`<input type=${attribs.type}>`);
        for (const [attribute, value] of Object.entries(attribs)) {
          if (/^on/i.test(attribute)) problems.push(`<${name} ${attribute}>`);
          if (FORBIDDEN_ATTRIBUTES.has(attribute)) problems.push(`<${name} ${attribute}>`);
          if (URL_ATTRIBUTES.has(attribute) && !isSafeUrlValue(value))
            problems.push(`<${name} ${attribute}="${value}">`);
          if (
            attribute === 'srcset' &&
            value.split(',').some((candidate) => !isSafeUrlValue(candidate.trim().split(/\s+/)[0] ?? ''))
          )
            problems.push(`<${name} srcset="${value}">`);
          if ((attribute === 'id' || attribute === 'name') && !value.startsWith('user-content-'))
            problems.push(`<${name} ${attribute}="${value}">`);
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return problems;
}

/** The tag names of the elements in an HTML fragment, in document order. */
export function elementNames(html: string): string[] {
  const names: string[] = [];
  const parser = new Parser({
    onopentag(name) {
      names.push(name);
    },
  });
  parser.write(html);
  parser.end();
  return names;
}

/** Each element of a fragment as `name attr=value ...` (attributes sorted), for comparing structure. */
export function elementSignatures(html: string): string[] {
  const signatures: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        signatures.push(
          [
            name,
            ...Object.entries(attribs)
              .map(([key, value]) => `${key}=${value}`)
              .sort(),
          ].join(' '),
        );
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return signatures;
}
