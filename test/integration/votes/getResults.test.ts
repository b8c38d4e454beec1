import { describe, expect, it } from 'vitest';
import { localCloud } from '../../support/cloud.ts';

describe('getResults: GET /results', () => {
  it('returns every configured candidate in order with a total, uncached', async () => {
    const response = await fetch(`${localCloud().endpoints.http}/results`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const results = await response.json() as { candidates: Array<{ candidate: string; votes: number }>; total: number };
    expect(results.candidates.map((c) => c.candidate)).toEqual(['RED', 'GREEN', 'BLUE']);
    expect(results.total).toBe(results.candidates.reduce((sum, c) => sum + c.votes, 0));
  });

  it('answers CORS preflights for the pages', async () => {
    const response = await fetch(`${localCloud().endpoints.http}/results`, {
      method: 'OPTIONS', headers: { origin: 'http://example.test', 'access-control-request-method': 'GET' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeTruthy();
  });
});
