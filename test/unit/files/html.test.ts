import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, renderHtmlDocument, renderSafeBody } from '../../../src/domain/files/html.ts';
import { markdown, parse } from '../../../src/domain/files/markdown.ts';
import { MAX_RAW_HTML_DEPTH, OpenTags } from '../../../src/domain/files/open-tags.ts';
import { planRegions } from '../../../src/domain/files/regions.ts';
import { containsRawHtml, sanitizeBody } from '../../../src/domain/files/sanitize.ts';
import { renderPlainText } from '../../../src/domain/files/text.ts';
import { elementNames, elementSignatures, unsafeParts } from './html-safety.ts';

const doc = (source: string, fallbackTitle = 'fallback') => renderHtmlDocument(source, { fallbackTitle });
const body = (source: string) => renderSafeBody(parse(source));
const regions = (tokens: ReturnType<typeof parse>) => planRegions(tokens).regions;
const titleOf = (html: string) => /<title>(.*)<\/title>/.exec(html)?.[1];
const mainOf = (html: string) => /<main>\n([\s\S]*)<\/main>/.exec(html)?.[1];

describe('renderHtmlDocument', () => {
  it('writes a complete HTML5 document with charset, viewport, CSP, title, stylesheet and the body in <main>', () => {
    const html = doc('# Hello\n\nWorld\n');
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`);
    expect(CONTENT_SECURITY_POLICY).toBe("default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'");
    expect(html).toMatch(/<style>\n[^<]+\n<\/style>/);
    expect(mainOf(html)).toBe('<h1>Hello</h1>\n<p>World</p>\n');
    expect(html.endsWith('</main>\n</body>\n</html>\n')).toBe(true);
    expect(elementNames(html).slice(0, 3)).toEqual(['html', 'head', 'meta']);
  });

  it('is titled by the text of the first heading, whatever its level and inline markup', () => {
    expect(
      titleOf(doc('Intro text\n\n### Getting *started* with `npm` and [links](https://x.example)\n\n# Later\n')),
    ).toBe('Getting started with npm and links');
    expect(titleOf(doc('Setext title\n============\n'))).toBe('Setext title');
    expect(titleOf(doc('# ![Logo](logo.png) Project\n'))).toBe('Logo Project');
  });

  it('takes the title from a raw HTML heading too, as READMEs often start with one', () => {
    expect(
      titleOf(doc('<h1 align="center">\n  <img src="logo.svg" alt=""> Fancy&nbsp;Tool\n</h1>\n\n## Install\n')),
    ).toBe('Fancy Tool');
  });

  it('escapes the title', () => {
    expect(titleOf(doc('# a <b>&amp; "c" \\<script>\n'))).toBe('a &amp; &quot;c&quot; &lt;script&gt;');
  });

  it('falls back to the given title when there is no heading, or only empty ones', () => {
    expect(titleOf(doc('just text\n', 'notes'))).toBe('notes');
    expect(titleOf(doc('#\n\ntext\n', 'my notes'))).toBe('my notes');
    expect(titleOf(doc('', 'empty'))).toBe('empty');
    expect(titleOf(doc('', 'a<b'))).toBe('a&lt;b');
  });

  it('renders an empty document as an empty <main>', () => {
    expect(mainOf(doc(''))).toBe('');
  });
});

describe('safety without a sanitizer pass (no raw HTML in the source)', () => {
  const markdownOnly = [
    '# Title with *emphasis*',
    'Text with `<script>alert(1)</script>` code, \\<b>escaped\\</b>, &lt;entities&gt; and & ampersands.',
    '[a link](https://x.example "title \\" onmouseover=alert(1)") ![img](https://x.example/i.png "t\'")',
    '[bad](javascript:alert(1)) [bad2](<javascript:alert(1)>) <javascript:alert(1)> [ref]\n\n[ref]: vbscript:x',
    '```js" onclick="alert(1)\ncode <b>\n```',
    '- [x] task\n- [ ] other',
    '| a | b |\n|:-|-:|\n| `|` | <x |',
  ].join('\n\n');

  it('is recognised as Markdown without raw HTML', () => {
    expect(containsRawHtml(parse(markdownOnly))).toBe(false);
  });

  it('is safe as markdown-it renders it, and equal to what the sanitizer would make of it', () => {
    const html = body(markdownOnly);
    expect(html).toBe(markdown.renderer.render(parse(markdownOnly), markdown.options, {}));
    expect(unsafeParts(html)).toEqual([]);
    expect(elementSignatures(sanitizeBody(html))).toEqual(elementSignatures(html));
  });

  it('holds for any Markdown: without raw HTML tokens, the sanitizer would remove nothing', () => {
    const pieces = [
      '[',
      ']',
      '(',
      ')',
      '](',
      '![',
      ']: ',
      '<',
      '>',
      '"',
      "'",
      '`',
      '```',
      '\n',
      '\n\n',
      '- ',
      '1. ',
      '> ',
      '# ',
      '| a |\n|:-|\n| ',
      '- [x] ',
      '*',
      '_',
      '~~',
      '\\',
      '&',
      '&#x09;',
      '&colon;',
      'javascript:',
      'vbscript:',
      'data:text/html,',
      'https://x.example/',
      'www.x.example',
      'a@b.example',
      ' "title"',
      'text',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 3 })), { maxLength: 30 }),
        (parts) => {
          const tokens = parse(parts.join(''));
          fc.pre(!containsRawHtml(tokens));
          const html = renderSafeBody(tokens);
          expect(unsafeParts(html)).toEqual([]);
          expect(elementSignatures(sanitizeBody(html))).toEqual(elementSignatures(html));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the fence info string inside the class attribute', () => {
    expect(body('```js" onclick="alert(1)\nx\n```\n')).toBe('<pre><code class="language-js&quot;">x\n</code></pre>\n');
  });
});

describe('raw HTML in Markdown', () => {
  it('keeps what READMEs use: centered paragraphs, images, details, br, sub, sup, kbd, picture', () => {
    const source = [
      '<p align="center">\n  <img src="https://x.example/logo.png" alt="Logo" width="120" height="40">\n  <br>\n  <sub>tagline</sub><sup>1</sup>\n</p>',
      '<details>\n<summary>More</summary>\n\nMarkdown *inside*.\n\n</details>',
      'Press <kbd>Ctrl</kbd>+<kbd>C</kbd>.',
      '<picture>\n<source media="(prefers-color-scheme: dark)" srcset="dark.png">\n<img src="light.png" alt="x">\n</picture>',
      '<div align="right"><a href="https://x.example" title="t">site</a></div>',
    ].join('\n\n');
    const html = body(source);
    expect(html).toContain('<p align="center">');
    expect(html).toContain('<img src="https://x.example/logo.png" alt="Logo" width="120" height="40" />');
    expect(html).toContain('<sub>tagline</sub><sup>1</sup>');
    expect(html).toMatch(/<details>\n<summary>More<\/summary>\n<p>Markdown <em>inside<\/em>.<\/p>\n<\/details>/);
    expect(html).toContain('<kbd>Ctrl</kbd>+<kbd>C</kbd>');
    expect(html).toContain('<source media="(prefers-color-scheme: dark)" srcset="dark.png" />');
    expect(html).toContain('<a href="https://x.example" title="t" rel="nofollow noopener noreferrer">site</a>');
    expect(unsafeParts(html)).toEqual([]);
  });

  it('prefixes ids and names so they cannot clobber globals of the page', () => {
    const html = body('<a name="top"></a><div id="cookie">x</div><img name="getElementById" src="a.png">');
    expect(html).toContain('name="user-content-top"');
    expect(html).toContain('id="user-content-cookie"');
    expect(html).toContain('name="user-content-getElementById"');
    expect(body('<span id="user-content-x">y</span>')).toContain('id="user-content-x"');
  });

  it('keeps checkboxes only as disabled ones and drops every other input', () => {
    expect(
      body('<input type="checkbox" checked> <input type="text" value="x"> <input type="hidden" name="a"> <input>'),
    ).toBe('<p><input type="checkbox" disabled checked />   </p>\n');
  });

  it('keeps the Markdown around raw HTML as markdown-it renders it, structure for structure', () => {
    const source = '# T\n\n- [x] done\n\n| a |\n|:-:|\n| b |\n\n```js\nx\n```\n\n[l](https://x.example) <kbd>k</kbd>\n';
    const unsanitized = markdown.renderer.render(parse(source), markdown.options, {});
    expect(elementSignatures(body(source))).toEqual(elementSignatures(unsanitized));
  });
});

describe('regions: only blocks raw HTML can reach go through the sanitizer', () => {
  it('leaves a document without raw HTML as one plain region', () => {
    const tokens = parse('# a\n\ntext\n\n- list\n');
    expect(regions(tokens)).toEqual([{ start: 0, end: tokens.length, raw: false }]);
  });

  it('isolates a balanced raw block from the Markdown after it', () => {
    const tokens = parse('<p align="center"><img src="x.png"></p>\n\n# Title\n\ntext <br> more\n\nlast\n');
    expect(regions(tokens).map(({ raw }) => raw)).toEqual([true, false, true, false]);
  });

  it('keeps blocks between an opening and a closing raw tag in one region', () => {
    const tokens = parse('intro\n\n<details>\n\n# Inside\n\ntext\n\n</details>\n\nafter\n');
    const found = regions(tokens);
    expect(found.map(({ raw }) => raw)).toEqual([false, true, false]);
    expect(tokens.slice(found[1]!.start, found[1]!.end).map((token) => token.type)).toContain('heading_open');
  });

  it('runs a region to the end when a raw element is never closed, and counts void elements as closed', () => {
    expect(regions(parse('<div>\n\nunclosed\n\n# still inside\n')).map(({ raw }) => raw)).toEqual([true]);
    expect(regions(parse('<img src="a.png">\n\n<br/>\n\ntext\n')).map(({ raw }) => raw)).toEqual([true, false]);
  });

  it('covers the whole token stream with consecutive regions', () => {
    const tokens = parse('a\n\n<div>\n\n> quote\n> <b>x</b>\n\n</div>\n\n1. one\n   <i>two</i>\n\n```\n<code>\n```\n');
    const found = regions(tokens);
    expect(found[0]!.start).toBe(0);
    expect(found.at(-1)!.end).toBe(tokens.length);
    found.slice(1).forEach((region, i) => expect(region.start).toBe(found[i]!.end));
  });

  it('gives the structure sanitizing the whole body would give', () => {
    const source =
      '<div align="center">\n\n# Title\n\n</div>\n\ntext <b>bold\n\n<details><summary>s</summary>\n\n- item\n\n</details>\n\n<p>unclosed\n\nend\n';
    const whole = sanitizeBody(markdown.renderer.render(parse(source), markdown.options, {}));
    expect(elementSignatures(body(source))).toEqual(elementSignatures(whole));
  });

  it('stays safe where a region ends early, for instance at a closing tag hidden in a comment', () => {
    const html = body(
      '<div>\n<!-- </div> -->\n\n<a href="javascript:alert(1)" onclick="x">a</a>\n\n<script>alert(1)</script>\n\ntext\n',
    );
    expect(unsafeParts(html)).toEqual([]);
    expect(html).not.toContain('<script');
  });
});

describe('raw HTML nested too deep to parse in reasonable time', () => {
  it('is counted from above: never fewer open elements than a parser would have', () => {
    expect(new OpenTags().add('<div><p>a</p><br><img src=x><span>').count).toBe(2);
    expect(new OpenTags().add('<b><i></b></i>').count).toBe(0);
    expect(new OpenTags().add('<div></span></span><div>').count).toBe(2); // stray closers cancel nothing
    expect(new OpenTags().add('<a_b><x:y></A_B>').count).toBe(1);
    expect(new OpenTags().add('<div><div></div>').deepest).toBe(2);
    expect(new OpenTags().add('<!-- <div> --><script>"<p>"</script>').count).toBe(2); // higher is allowed
  });

  it('is shown as escaped text, safely', () => {
    const deep = `${'<div>'.repeat(MAX_RAW_HTML_DEPTH + 1)}<img src=x onerror=alert(1)>\n\n# Title\n\ntext <b>bold</b>\n`;
    const html = body(deep);
    expect(html).toMatch(/^<pre><code>&lt;div&gt;&lt;div&gt;/);
    expect(html).toContain('<h1>Title</h1>\n<p>text &lt;b&gt;bold&lt;/b&gt;</p>\n');
    expect(unsafeParts(html)).toEqual([]);
  });

  it('is sanitized as usual up to the limit', () => {
    expect(body(`${'<div>'.repeat(MAX_RAW_HTML_DEPTH)}x`)).toBe(
      `${'<div>'.repeat(MAX_RAW_HTML_DEPTH)}x${'</div>'.repeat(MAX_RAW_HTML_DEPTH)}`,
    );
  });

  it('adds nothing to the text', () => {
    expect(renderPlainText(`${'<div>'.repeat(MAX_RAW_HTML_DEPTH + 1)}hidden\n\nshown\n`)).toBe('shown\n');
  });
});
