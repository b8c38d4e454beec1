import { describe, expect, it } from 'vitest';
import { readSource as readSourceWithin } from '../../../src/domain/files/source.ts';

// The limit serverless.yml's maxMarkdownBytes sets; a test may give its own.
const LIMIT = 5 * 1024 * 1024;
const readSource = (bytes: Uint8Array, options = { maxBytes: LIMIT }) => readSourceWithin(bytes, options);

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('readSource', () => {
  it('decodes UTF-8 text, unicode included', () => {
    expect(readSource(utf8('# Café 日本語 🎉\n'))).toEqual({ ok: true, value: '# Café 日本語 🎉\n' });
  });

  it('reads an empty file as empty text', () => {
    expect(readSource(new Uint8Array())).toEqual({ ok: true, value: '' });
  });

  it('drops a UTF-8 byte order mark', () => {
    expect(readSource(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('# Title')]))).toEqual({ ok: true, value: '# Title' });
  });

  it('keeps CRLF line endings for the Markdown parser to handle', () => {
    expect(readSource(utf8('# A\r\n\r\nb\r\n'))).toEqual({ ok: true, value: '# A\r\n\r\nb\r\n' });
  });

  it('refuses a file over the limit, naming its size and the limit', () => {
    const result = readSource(new Uint8Array(LIMIT + 1));
    expect(result).toEqual({
      ok: false,
      reason: `the file is ${LIMIT + 1} bytes; files over ${LIMIT} bytes are not converted`,
    });
    expect(readSource(new Uint8Array(LIMIT).fill(0x61)).ok).toBe(true);
  });

  it('takes the limit from the caller', () => {
    expect(readSource(utf8('12345'), { maxBytes: 5 }).ok).toBe(true);
    expect(readSource(utf8('123456'), { maxBytes: 5 })).toEqual({
      ok: false,
      reason: 'the file is 6 bytes; files over 5 bytes are not converted',
    });
  });

  it('refuses Latin-1 text, saying it is not UTF-8 and where the first bad byte is', () => {
    const latin1 = Uint8Array.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]); // "# Café\n"
    expect(readSource(latin1)).toEqual({
      ok: false,
      reason: 'the file is not valid UTF-8 text (first invalid byte at offset 5); save it as UTF-8',
    });
  });

  it.each([
    ['a lone continuation byte', [0x61, 0x80, 0x62], 1],
    ['an overlong encoding', [0x61, 0xc0, 0xaf], 1],
    ['a UTF-16 surrogate', [0x61, 0x62, 0xed, 0xa0, 0x80], 2],
    ['a sequence cut short by the end of the file', [0x61, 0xe6, 0x97], 1],
    ['a four-byte sequence interrupted by ASCII', [0x61, 0x62, 0x63, 0xf0, 0x9f, 0x41], 3],
    ['a byte that never occurs in UTF-8', [0x61, 0xff], 1],
  ])('locates %s', (_label, bytes, offset) => {
    const result = readSource(Uint8Array.from(bytes));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(`offset ${offset})`);
  });

  it('locates a bad byte far into a large file', () => {
    const bytes = new Uint8Array(200_000).fill(0x61);
    bytes[150_001] = 0xe9;
    expect(!readSource(bytes).ok && (readSource(bytes) as { reason: string }).reason).toContain('offset 150001)');
  });
});
