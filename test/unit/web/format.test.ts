import { describe, expect, it } from 'vitest';
import { errorMessage, formatCount, formatLag } from '../../../web/format.js';

describe('formatLag', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [1000, '1.0 s'],
    [4250, '4.2 s'],
    [59_999, '59.9 s'],
    [60_000, '1 min 0 s'],
    [185_000, '3 min 5 s'],
    [7_440_000, '2 h 4 min'],
  ])('%d ms reads as %s', (ms, text) => {
    expect(formatLag(ms)).toBe(text);
  });

  it('shows a dash for a missing or nonsensical lag', () => {
    expect([formatLag(null), formatLag(undefined), formatLag(-1), formatLag(Number.NaN)]).toEqual(['—', '—', '—', '—']);
  });
});

describe('formatCount', () => {
  it('writes plain digits, or a dash when missing', () => {
    expect([formatCount(0), formatCount(12345), formatCount(null), formatCount(undefined)]).toEqual([
      '0',
      '12345',
      '—',
      '—',
    ]);
  });
});

describe('errorMessage', () => {
  it('takes the message of the API error shape', () => {
    expect(
      errorMessage({ error: { code: 'UNKNOWN_CANDIDATE', message: 'candidate must be one of RED, GREEN, BLUE' } }, 400),
    ).toBe('candidate must be one of RED, GREEN, BLUE');
  });

  it('falls back to the status for other bodies', () => {
    expect([errorMessage(null, 502), errorMessage('Bad Gateway', 502), errorMessage({ message: 'x' }, 500)]).toEqual([
      'HTTP 502',
      'HTTP 502',
      'HTTP 500',
    ]);
  });
});
