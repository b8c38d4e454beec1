import { describe, expect, it } from 'vitest';
import { decodeS3EventKey, derivativeKeys, isMarkdownKey } from '../../../src/domain/files/keys.ts';

describe('isMarkdownKey', () => {
  it.each(['a.md', 'README.MD', 'docs/guide.markdown', 'x/y/Notes.MarkDown', 'v1.2/read.me.md', 'my notes/week 1.md'])(
    'accepts %s',
    (key) => {
      expect(isMarkdownKey(key)).toBe(true);
    },
  );

  it.each(['a.txt', 'a.md.txt', 'a.mdx', 'a.markdown.bak', 'md', 'folder.md/', 'notes/.md', '.md', 'a.md '])(
    'refuses %s',
    (key) => {
      expect(isMarkdownKey(key)).toBe(false);
    },
  );
});

describe('decodeS3EventKey', () => {
  it('turns plus signs into spaces and percent escapes into characters', () => {
    expect(decodeS3EventKey('my+file%2B1.md')).toBe('my file+1.md');
    expect(decodeS3EventKey('a%2Bb%3Dc.md')).toBe('a+b=c.md');
    expect(decodeS3EventKey('folder/sub+dir/x.md')).toBe('folder/sub dir/x.md');
  });

  it('decodes non-ASCII characters sent as percent-encoded UTF-8', () => {
    expect(
      decodeS3EventKey('%C3%BCn%C3%AFc%C3%B8d%C3%A9/%E6%97%A5%E6%9C%AC%E8%AA%9E+%E3%83%A1%E3%83%A2.markdown'),
    ).toBe('ünïcødé/日本語 メモ.markdown');
  });

  it('inverts the encoding S3 applies, for any key', () => {
    const encode = (key: string) => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
    for (const key of ['a b+c/d%e.md', '100% done?.md', 'emoji 🎉.md', 'quote\'s & "double".md', 'tab\there.md']) {
      expect(decodeS3EventKey(encode(key))).toBe(key);
    }
  });

  it('throws on a malformed escape', () => {
    expect(() => decodeS3EventKey('bad%E0%A4%A.md')).toThrow(URIError);
  });
});

describe('derivativeKeys', () => {
  it('mirrors the source path under html/ and text/ with the last extension replaced', () => {
    expect(derivativeKeys('notes.md')).toEqual({ html: 'html/notes.html', text: 'text/notes.txt' });
    expect(derivativeKeys('guide/Getting Started.markdown')).toEqual({
      html: 'html/guide/Getting Started.html',
      text: 'text/guide/Getting Started.txt',
    });
  });

  it('removes only the last extension and keeps dots in folders', () => {
    expect(derivativeKeys('docs/v1.2/read.me.md')).toEqual({
      html: 'html/docs/v1.2/read.me.html',
      text: 'text/docs/v1.2/read.me.txt',
    });
    expect(derivativeKeys('archive.tar.md')).toEqual({ html: 'html/archive.tar.html', text: 'text/archive.tar.txt' });
    expect(derivativeKeys('README.MD').html).toBe('html/README.html');
  });

  it('keeps unicode and spaces as they are', () => {
    expect(derivativeKeys('ünïcødé/日本語 メモ.markdown').text).toBe('text/ünïcødé/日本語 メモ.txt');
  });
});
