import { readTotals } from '../../adapters/votes-table.ts';
import { resultsOf } from '../../domain/votes/results.ts';
import { candidatesIn } from '../../domain/votes/candidates.ts';
import { envConfig, string, variable } from '../shared/config.ts';
import { httpHandler, json, route } from '../shared/http.ts';

const config = envConfig({
  table: string('AGGREGATES_TABLE'),
  candidates: variable('CANDIDATES', 'a comma-separated list of candidates', candidatesIn),
});

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
