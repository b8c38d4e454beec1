import { describe, expect, it } from 'vitest';
import { renderPlainText } from '../../../src/domain/files/text.ts';

const text = renderPlainText;

describe('renderPlainText', () => {
  it('puts headings and paragraphs on their own lines with a blank line between blocks, ending with one newline', () => {
    expect(text('# Title\n\nFirst paragraph\nstill first.\n\n## Section\n\nSecond.\n')).toBe(
      'Title\n\nFirst paragraph\nstill first.\n\nSection\n\nSecond.\n',
    );
  });

  it('gives an empty document no text at all', () => {
    expect(text('')).toBe('');
    expect(text('\n\n   \n')).toBe('');
    expect(text('<!-- only a comment -->\n')).toBe('');
  });

  it('removes inline markup and keeps link text, not URLs', () => {
    expect(
      text('Some *em*, **strong**, ~~struck~~, `code`, [a link](https://x.example "t") and <https://auto.example>.\n'),
    ).toBe('Some em, strong, struck, code, a link and https://auto.example.\n');
  });

  it('turns images into their alt text', () => {
    expect(text('![A cat](cat.png "Title") and [![badge](b.svg)](https://ci.example)\n')).toBe('A cat and badge\n');
  });

  it('lists items with - and 1. markers, nested items indented under their parent text', () => {
    expect(text('- one\n- two\n  - two a\n  - two b\n- three\n\n3. c\n4. d\n   1. d.1\n')).toBe(
      '- one\n- two\n  - two a\n  - two b\n- three\n\n3. c\n4. d\n   1. d.1\n',
    );
  });

  it("lines up the later lines of a list item under its text, and puts a nested marker after its parent's", () => {
    expect(text('- first line\n  second line\n\n  second paragraph\n- - nested at once\n')).toBe(
      '- first line\n  second line\n  second paragraph\n- - nested at once\n',
    );
  });

  it('shows task items with ballot boxes', () => {
    expect(text('- [x] done\n- [ ] todo\n')).toBe('- ☑ done\n- ☐ todo\n');
  });

  it('writes block quotes as their text', () => {
    expect(text('> quoted *text*\n> more\n>\n> > nested\n\nafter\n')).toBe('quoted text\nmore\n\nnested\n\nafter\n');
  });

  it('writes table rows with cells separated by " | "', () => {
    expect(text('| Name | `Value` |\n|:-----|------:|\n| **a** | [1](x) |\n| b | |\n')).toBe(
      'Name | Value\na | 1\nb |\n',
    );
  });

  it('keeps fenced and indented code verbatim, markup characters and indentation included', () => {
    expect(text('```md\n# not a heading\n  *not em*   \n\n<b>x</b>\n```\n\n    indented  *x*\n')).toBe(
      '# not a heading\n  *not em*   \n\n<b>x</b>\n\nindented  *x*\n',
    );
    expect(text('- item\n\n  ```\n  code\n  ```\n')).toBe('- item\n  code\n');
  });

  it('drops raw HTML tags, keeps their text, and drops script and style content', () => {
    expect(text('Press <kbd>Ctrl</kbd>+<kbd>C</kbd> <script>alert(1)</script>now.\n')).toBe('Press Ctrl+C now.\n');
    expect(
      text(
        '<p align="center">\n  <img src="logo.png" alt="Logo">\n  <b>Fast</b> &amp; small\n</p>\n\n<style>p{}</style>\n\n# After\n',
      ),
    ).toBe('Fast & small\n\nAfter\n');
    expect(text('<details>\n<summary>More</summary>\n\nHidden *text*.\n\n</details>\n')).toBe('More\n\nHidden text.\n');
  });

  it('turns <br> and hard breaks into line breaks', () => {
    expect(text('one<br>two<br/>three  \nfour\\\nfive\n')).toBe('one\ntwo\nthree\nfour\nfive\n');
  });

  it('decodes entities and backslash escapes', () => {
    expect(text('&copy; &#169; &#x3C;tag&#x3E; &amp;amp; \\*not em\\* \\# \\[x]\n')).toBe(
      '© © <tag> &amp; *not em* # [x]\n',
    );
  });

  it('reads CRLF line endings like LF', () => {
    expect(text('# A\r\n\r\nb\r\nc\r\n\r\n- d\r\n')).toBe('A\n\nb\nc\n\n- d\n');
  });

  it('keeps unicode text as it is', () => {
    expect(text('# Überblick 日本語\n\nЗдравствуй, мир! 🎉 مرحبا\n')).toBe(
      'Überblick 日本語\n\nЗдравствуй, мир! 🎉 مرحبا\n',
    );
  });

  it('leaves no heading, emphasis or link markup', () => {
    const plain = text(
      '# H1\n## H2 *x*\nSetext\n---\n\n**b** _i_ [l](u) ![i](s) <https://a.example>\n\n[ref][r]\n\n[r]: https://r.example\n',
    );
    expect(plain).not.toMatch(/^#|\*|_|\[|\]\(|<|>/m);
    expect(plain).toBe('H1\n\nH2 x\n\nSetext\n\nb i l i https://a.example\n\nref\n');
  });

  it('treats a front-matter-like header as the Markdown it is (a rule, then a setext heading)', () => {
    expect(text('---\ntitle: x\n---\n\n# Real\n')).toBe('title: x\n\nReal\n');
  });

  it('skips horizontal rules', () => {
    expect(text('a\n\n---\n\nb\n\n***\n')).toBe('a\n\nb\n');
  });
});
