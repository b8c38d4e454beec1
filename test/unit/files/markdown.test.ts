import { describe, expect, it } from 'vitest';
import { markdown, parse } from '../../../src/domain/files/markdown.ts';
import { isSafeUrl } from '../../../src/domain/files/urls.ts';

const render = (source: string) => markdown.renderer.render(parse(source), markdown.options, {});

describe('the Markdown dialect', () => {
  it('renders GitHub tables, with alignment as align attributes rather than styles', () => {
    const html = render('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n');
    expect(html).toContain('<th align="left">a</th>');
    expect(html).toContain('<td align="center">2</td>');
    expect(html).toContain('<td align="right">3</td>');
    expect(html).not.toContain('style=');
  });

  it('renders strikethrough', () => {
    expect(render('~~gone~~')).toBe('<p><s>gone</s></p>\n');
  });

  it('renders task lists as disabled checkboxes without ids, and marks the list', () => {
    const html = render('- [x] done\n- [ ] todo\n- [X] also done\n- plain [ ] item\n');
    expect(html).toBe(
      [
        '<ul class="contains-task-list">',
        '<li class="task-list-item"><input class="task-list-item-checkbox" type="checkbox" disabled checked> done</li>',
        '<li class="task-list-item"><input class="task-list-item-checkbox" type="checkbox" disabled> todo</li>',
        '<li class="task-list-item"><input class="task-list-item-checkbox" type="checkbox" disabled checked> also done</li>',
        '<li>plain [ ] item</li>',
        '</ul>',
        '',
      ].join('\n'),
    );
  });

  it('marks task items of ordered and nested lists, and leaves escaped brackets and non-items alone', () => {
    expect(render('1. [ ] first\n   - [x] nested\n')).toContain('<ol class="contains-task-list">');
    expect(render('1. [ ] first\n   - [x] nested\n')).toContain('<ul class="contains-task-list">');
    expect(render('- \\[x] literal\n')).toBe('<ul>\n<li>[x] literal</li>\n</ul>\n');
    expect(render('[x] not in a list\n')).toBe('<p>[x] not in a list</p>\n');
    expect(render('- [x]\n')).not.toContain('checkbox');
  });

  it('renders fenced code with a language-x class, and indented code', () => {
    expect(render('```ts\nconst a = 1 < 2;\n```\n')).toBe(
      '<pre><code class="language-ts">const a = 1 &lt; 2;\n</code></pre>\n',
    );
    expect(render('    indented\n')).toBe('<pre><code>indented\n</code></pre>\n');
  });

  it('links bare http(s) URLs and e-mail addresses, but not file names', () => {
    const html = render('See https://example.org/a?b=1, mail me@example.org, read README.md\n');
    expect(html).toContain(
      '<a href="https://example.org/a?b=1" rel="nofollow noopener noreferrer">https://example.org/a?b=1</a>',
    );
    expect(html).toContain('<a href="mailto:me@example.org" rel="nofollow noopener noreferrer">me@example.org</a>');
    expect(html).toContain('read README.md');
  });

  it('gives every link rel="nofollow noopener noreferrer"', () => {
    expect(render('[a](https://a.example) <https://b.example> [c][c]\n\n[c]: /c "C"\n')).toBe(
      '<p><a href="https://a.example" rel="nofollow noopener noreferrer">a</a> <a href="https://b.example" rel="nofollow noopener noreferrer">https://b.example</a> <a href="/c" title="C" rel="nofollow noopener noreferrer">c</a></p>\n',
    );
  });

  it('makes no typographic replacements', () => {
    expect(render('"quotes" -- dashes... (c)')).toBe('<p>&quot;quotes&quot; -- dashes... (c)</p>\n');
  });

  it('parses CRLF line endings like LF', () => {
    expect(render('# A\r\n\r\npara\r\ngraph\r\n')).toBe(render('# A\n\npara\ngraph\n'));
  });

  it('drops links and images whose URL has an unsafe scheme, leaving their text as written', () => {
    expect(render('[x](javascript:alert(1)) ![y](data:image/png;base64,AAAA) [z](file:///etc/passwd)')).not.toMatch(
      /<a |<img /,
    );
    expect(
      render('[x](/relative) ![y](https://img.example/y.png) [m](mailto:a@b.c) [f](#frag)').match(/<(a|img) /g),
    ).toHaveLength(4);
  });
});

describe('isSafeUrl', () => {
  it.each([
    'https://x.example',
    'http://x.example/a?b#c',
    'mailto:a@b.c',
    'HTTPS://X.EXAMPLE',
    '/abs',
    'rel/path.md',
    '../up',
    '#frag',
    '?q=1',
    '//cdn.example/x.png',
    '',
    'java%09script:alert(1)',
    'a/b:c',
  ])('allows %j', (url) => {
    expect(isSafeUrl(url)).toBe(true);
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '\u0001javascript:x',
    'vbscript:msgbox(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'data:image/png;base64,AAAA',
    'file:///etc/passwd',
    'ftp://x.example',
    'tel:123',
    'blob:https://x',
    'jav\u0000ascript:x',
  ])('refuses %j', (url) => {
    expect(isSafeUrl(url)).toBe(false);
  });
});
