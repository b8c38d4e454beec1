import { describe, expect, it } from 'vitest';
import { parseCandidates, resolveCandidate } from '../../../src/domain/votes/candidates.ts';

describe('parseCandidates', () => {
  it('keeps the configured order, without blanks or repeats', () => {
    expect(parseCandidates(' RED, GREEN,,BLUE ,red')).toEqual(['RED', 'GREEN', 'BLUE']);
  });

  it('refuses a configuration without candidates', () => {
    expect(() => parseCandidates(' , ')).toThrow(/no candidates/);
  });
});

describe('resolveCandidate', () => {
  const candidates = ['RED', 'GREEN', 'BLUE'];

  it.each([['GREEN'], ['green'], [' gReEn \n'], ['\tGreen\r\n']])('reads %j as GREEN', (input) => {
    expect(resolveCandidate(input, candidates)).toBe('GREEN');
  });

  it.each([['PURPLE'], [''], ['GRE EN'], ['vote green']])('reads %j as no candidate', (input) => {
    expect(resolveCandidate(input, candidates)).toBeUndefined();
  });
});
