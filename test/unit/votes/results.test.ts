import { describe, expect, it } from 'vitest';
import { resultsOf } from '../../../src/domain/votes/results.ts';

describe('resultsOf', () => {
  it('lists every configured candidate in order, missing totals as 0, with the total', () => {
    expect(
      resultsOf(
        ['RED', 'GREEN', 'BLUE'],
        new Map([
          ['BLUE', 2],
          ['RED', 3],
          ['PURPLE', 9],
        ]),
      ),
    ).toEqual({
      candidates: [
        { candidate: 'RED', votes: 3 },
        { candidate: 'GREEN', votes: 0 },
        { candidate: 'BLUE', votes: 2 },
      ],
      total: 5,
    });
  });
});
