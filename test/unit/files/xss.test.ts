import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, renderHtmlDocument } from '../../../src/domain/files/html.ts';
import { extractMetadata } from '../../../src/domain/files/metadata.ts';
import { elementNames, isSafeUrlValue, unsafeParts } from './html-safety.ts';

// Untrusted Markdown is the normal case. Every vector is rendered to a full document, parsed with
// htmlparser2, and judged on the parsed elements and attributes (html-safety.ts).
const VECTORS: Array<[string, string]> = [
  ['script', '<script>alert(1)</script>'],
  ['script, upper case', '<SCRIPT>alert(1)</SCRIPT>'],
  ['script, mixed case', '<ScRiPt>alert(1)</sCrIpT>'],
  ['script, nested to survive one pass', '<scr<script>ipt>alert(1)</scr</script>ipt>'],
  ['script, doubled brackets', '<<script>script>alert(1)<</script>/script>'],
  ['script, split over lines', '<script\n>alert(1)</script\n>'],
  ['script, inline in a paragraph', 'Hello <script>alert(1)</script> world'],
  ['script with src', '<script src="//evil.example/x.js"></script>'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['img onerror, quoted and self-closed', '<img src="x" onerror="alert(1)"/>'],
  ['img onerror, mixed case', '<IMG SRC=x OnErRoR=alert(1)>'],
  ['img unterminated', '<img src=x onerror=alert(1)//'],
  ['svg onload', '<svg onload=alert(1)>'],
  ['svg with script', '<svg><script>alert(1)</script></svg>'],
  ['svg link', '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>'],
  ['math namespace confusion', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['math href', '<math href="javascript:alert(1)">CLICK</math>'],
  ['iframe javascript', '<iframe src="javascript:alert(1)"></iframe>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ['object', '<object data="javascript:alert(1)"></object>'],
  ['embed', '<embed src="javascript:alert(1)">'],
  ['a href javascript', '<a href="javascript:alert(1)">x</a>'],
  ['markdown link javascript', '[x](javascript:alert(1))'],
  ['markdown link, mixed case scheme', '[x](JaVaScRiPt:alert(1))'],
  ['markdown link in angle brackets', '[x](<javascript:alert(1)>)'],
  ['a href, tab entity in scheme', '<a href="java&#x09;script:alert(1)">x</a>'],
  ['markdown link, tab entity in scheme', '[x](java&#x09;script:alert(1))'],
  ['a href, newline entity in scheme', '<a href="jav&#x0A;ascript:alert(1)">x</a>'],
  ['a href, named tab entity', '<a href="jAvAsCrIpT&Tab;:alert(1)">x</a>'],
  [
    'a href, decimal entities',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  ],
  ['a href, entities without semicolons', '<a href="&#0000106&#0000097vascript:alert(1)">x</a>'],
  ['a href, &colon;', '<a href="javascript&colon;alert(1)">x</a>'],
  ['markdown link, &colon;', '[x](javascript&colon;alert(1))'],
  ['a href, percent-encoded colon', '<a href="javascript%3Aalert(1)">x</a>'],
  ['a href, leading space', '<a href=" javascript:alert(1)">x</a>'],
  ['a href, leading control character', '<a href="\u0001javascript:alert(1)">x</a>'],
  ['a href vbscript', '<a href="vbscript:msgbox(1)">x</a>'],
  ['markdown link vbscript', '[x](vbscript:msgbox(1))'],
  ['a href data:text/html', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
  ['markdown link data:text/html', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['markdown image data:svg', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
  ['reference-style link', '[x][1]\n\n[1]: javascript:alert(1)'],
  ['reference-style link with title', '[x][evil]\n\n[evil]: <javascript:alert(1)> "t"'],
  ['autolink javascript', '<javascript:alert(1)>'],
  ['autolink vbscript', '<vbscript:msgbox(1)>'],
  ['style element', '<style>body{background:url(javascript:alert(1))}</style>'],
  ['style attribute', '<div style="background:url(javascript:alert(1))">x</div>'],
  ['form action', '<form action="javascript:alert(1)"><input type=submit value=go></form>'],
  ['button formaction', '<button formaction="javascript:alert(1)">x</button>'],
  ['input autofocus onfocus', '<input autofocus onfocus=alert(1)>'],
  ['input image', '<input type="image" src="javascript:alert(1)">'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['base href', '<base href="javascript:alert(1)//">'],
  ['link stylesheet', '<link rel="stylesheet" href="javascript:alert(1)">'],
  ['details ontoggle', '<details open ontoggle=alert(1)><summary>x</summary></details>'],
  ['body onload', '<body onload=alert(1)>'],
  ['video source onerror', '<video><source onerror=alert(1)></video>'],
  ['img srcset', '<img srcset="javascript:alert(1) 1x, x.png 2x">'],
  ['source srcset', '<picture><source srcset="javascript:alert(1)"><img src="a.png"></picture>'],
  ['HTML comment hiding script', '<!--<script>alert(1)</script>-->'],
  ['comment closed early', '<!-- --!><script>alert(1)</script> -->'],
  ['CDATA', '<![CDATA[<script>alert(1)</script>]]>'],
  ['noscript mutation', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
  ['textarea mutation', '<textarea><img src=x onerror=alert(1)></textarea>'],
  ['xmp mutation', '<xmp><img src=x onerror=alert(1)></xmp>'],
  ['template', '<template><script>alert(1)</script></template>'],
  ['markdown image, onerror in title', '![x](https://x.example/a.png "onerror=alert(1)")'],
  ['markdown image, quote in title', '![x](https://x.example/a.png "a\\" onerror=\\"alert(1)")'],
  ['markdown image, quote in URL', '![x](x"onerror="alert(1))'],
  ['markdown link, quote in title', '[x](https://x.example "t\\" onmouseover=\\"alert(1)")'],
  ['raw HTML inside link text', '[<img src=x onerror=alert(1)>](https://x.example)'],
  ['raw HTML in a table cell', '| a |\n|---|\n| <img src=x onerror=alert(1)> |'],
  ['raw HTML in a heading', '# <script>alert(1)</script> Title'],
  ['raw HTML in a list and a quote', '- <a href="javascript:alert(1)">x</a>\n\n> <iframe src=x></iframe>'],
  ['fence info string', '```js" onclick="alert(1)\ncode\n```'],
  ['DOM clobbering ids', '<div id="__proto__"><a name="location" href="#">x</a><form name="cookie"></form></div>'],
  ['unterminated attribute', '<a href="javascript:alert(1)'],
  ['unterminated tag at end', 'text <div onclick=alert(1)'],
  ['raw HTML too deep to sanitize', `${'<div>'.repeat(300)}<img src=x onerror=alert(1)><script>alert(1)</script>`],
];

const ALLOWED_BODY_ELEMENTS = new Set([
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
]);

function bodyOf(html: string): string {
  const start = html.indexOf('<main>\n');
  const end = html.lastIndexOf('</main>');
  return html.slice(start + '<main>\n'.length, end);
}

function expectSafe(source: string): void {
  const html = renderHtmlDocument(source, { fallbackTitle: 'x' });
  expect(unsafeParts(html)).toEqual([]);
  expect(elementNames(bodyOf(html)).filter((name) => !ALLOWED_BODY_ELEMENTS.has(name))).toEqual([]);
  expect(bodyOf(html)).not.toMatch(/<\/?(script|style|iframe|object|embed|svg|math|form|meta|base|link)\b/i);
  expect(html).toContain(`content="${CONTENT_SECURITY_POLICY}"`);
  const { links, images } = extractMetadata(source, new TextEncoder().encode(source));
  for (const { href } of links) expect(isSafeUrlValue(href), href).toBe(true);
  for (const { src } of images) expect(isSafeUrlValue(src), src).toBe(true);
}

describe('XSS vectors', () => {
  it('has at least 40 of them', () => {
    expect(VECTORS.length).toBeGreaterThanOrEqual(40);
  });

  it('are caught by the judge when Markdown is rendered without sanitizing', () => {
    const unsafe = new MarkdownIt({ html: true });
    const caught = VECTORS.filter(([, source]) => unsafeParts(unsafe.render(source)).length > 0).map(([name]) => name);
    expect(caught.length).toBeGreaterThanOrEqual(50);
    expect(caught).toEqual(
      expect.arrayContaining([
        'script',
        'img onerror',
        'svg onload',
        'iframe srcdoc',
        'a href, tab entity in scheme',
        'a href, decimal entities',
        'style attribute',
        'button formaction',
        'meta refresh',
        'base href',
        'details ontoggle',
        'DOM clobbering ids',
      ]),
    );
  });

  it.each(VECTORS)('%s is rendered harmless', (_name, source) => {
    expectSafe(source);
  });

  it.each(VECTORS)('%s is harmless inside Markdown structure too', (_name, source) => {
    expectSafe(
      `# Title\n\n- item\n  ${source.replaceAll('\n', '\n  ')}\n\n> ${source.replaceAll('\n', '\n> ')}\n\ntext ${source} more\n`,
    );
  });

  it('keeps the harmless part of a document with vectors in it', () => {
    const html = renderHtmlDocument(
      '# Safe *title*\n\n<img src="ok.png" onerror="alert(1)" alt="ok"> [fine](https://fine.example)\n',
      { fallbackTitle: 'x' },
    );
    expect(bodyOf(html)).toBe(
      '<h1>Safe <em>title</em></h1>\n<p><img src="ok.png" alt="ok" /> <a href="https://fine.example" rel="nofollow noopener noreferrer">fine</a></p>\n',
    );
  });

  it('keeps the refused link visible as text, escaped', () => {
    const html = renderHtmlDocument('[x](javascript:alert(1))', { fallbackTitle: 'x' });
    expect(bodyOf(html)).toBe('<p>[x](javascript:alert(1))</p>\n');
  });
});

// Pieces of the vectors above, and the Markdown that can put them in new contexts.
const FRAGMENTS = [
  '<script>',
  '</script>',
  '<scr',
  'ipt>',
  'alert(1)',
  '<img src=x',
  ' onerror=alert(1)',
  '>',
  '<',
  '/>',
  '"',
  "'",
  '`',
  '=',
  '<svg',
  '<math>',
  '<iframe',
  ' srcdoc=',
  '<style>',
  '</style>',
  '<a href="',
  'javascript:',
  'JaVaScRiPt:',
  'java&#x09;script:',
  '&#106;avascript:',
  'vbscript:',
  'data:text/html,',
  'data:image/svg+xml,',
  ' style="x:url(',
  '<form action=',
  '<button formaction=',
  '<meta http-equiv=refresh content=',
  '<base href=',
  '<link href=',
  '<details open ontoggle=',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<noscript>',
  '</noscript>',
  '<textarea>',
  '<input type=checkbox',
  '<div id=',
  ' name=',
  '[',
  ']',
  '(',
  ')',
  '](',
  '![',
  ']: ',
  '<',
  '>',
  '\n',
  '\n\n',
  '    ',
  '- ',
  '1. ',
  '> ',
  '| a |\n|---|\n| ',
  '# ',
  '```',
  '~~~',
  '*',
  '_',
  '\\',
  '&',
  '&amp;',
  '&lt;',
];

describe('any mix of vector fragments', () => {
  it('renders to a safe document', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })), { maxLength: 40 }),
        (parts) => {
          expectSafe(parts.join(''));
        },
      ),
      { numRuns: 400 },
    );
  });
});
