import { readTotals } from '../../adapters/votes-table.ts';
import { parseCandidates } from '../../domain/votes/candidates.ts';
import { resultsOf } from '../../domain/votes/results.ts';
import { lazy, requiredEnv } from '../shared/config.ts';
import { httpHandler, json, route } from '../shared/http.ts';

const config = lazy(() => ({
  table: requiredEnv('AGGREGATES_TABLE'),
  candidates: parseCandidates(requiredEnv('CANDIDATES')),
}));

/** `GET /results`: the totals of the configured candidates, never cached (the page polls them). */
export const handler = httpHandler({
  'GET /results': route({
    handle: async () => {
      const { table, candidates } = config();
      const totals = await readTotals(table, candidates);
      return json(200, resultsOf(candidates, totals), { 'Cache-Control': 'no-store' });
    },
  }),
});
