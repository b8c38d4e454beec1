import { describe, expect, it } from 'vitest';
import { localCloud } from '../../support/cloud.ts';

describe('getResults: GET /results', () => {
  it('returns every configured candidate in order with a total, uncached', async () => {
    const response = await fetch(`${localCloud().endpoints.http}/results`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const results = (await response.json()) as {
      candidates: Array<{ candidate: string; votes: number }>;
      total: number;
    };
    expect(results.candidates.map((c) => c.candidate)).toEqual(['RED', 'GREEN', 'BLUE']);
    expect(results.total).toBe(results.candidates.reduce((sum, c) => sum + c.votes, 0));
  });

  it('answers CORS preflights for the pages (served by the console locally) and for no other origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${localCloud().endpoints.http}/results`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
    const pages = new URL(localCloud().endpoints.console).origin;
    const allowed = await preflight(pages);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(pages);
    const other = await preflight('http://example.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(`${localCloud().endpoints.http}/results`, { headers: { origin: 'http://example.test' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });
});
