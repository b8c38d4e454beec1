import type { APIGatewayProxyWebsocketEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { readTotals } from '../../adapters/votes-table.ts';
import { postToConnection } from '../../adapters/websocket-connections.ts';
import { candidatesIn } from '../../domain/votes/candidates.ts';
import { errorFrame, parseViewerMessage, totalsFrame } from '../../domain/votes/live-results.ts';
import { resultsOf } from '../../domain/votes/results.ts';
import { envConfig, string, url, variable } from '../shared/config.ts';
import { observedHandler } from '../shared/handler.ts';
import { logger } from '../shared/logger.ts';

const config = envConfig({
  table: string('AGGREGATES_TABLE'),
  candidates: variable('CANDIDATES', 'a comma-separated list of candidates', candidatesIn),
  endpoint: url('WEBSOCKET_ENDPOINT'),
});

/**
 * The `getTotals` and `$default` routes of the results WebSocket API: `{"action":"getTotals"}` is
 * answered with the current totals, anything else with an error frame (the connection stays open).
 */
export const handler = observedHandler(
  async (event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> => {
    const { table, candidates, endpoint } = config();
    const { connectionId } = event.requestContext;
    const request = parseViewerMessage(event.body);
    const frame = request.ok
      ? totalsFrame(resultsOf(candidates, await readTotals(table, candidates)))
      : errorFrame(request.code, request.message);
    const outcome = await postToConnection(endpoint, connectionId, JSON.stringify(frame));
    logger.info('viewer message answered', { connectionId, answer: request.ok ? 'totals' : request.code, outcome });
    return { statusCode: 200 };
  },
);
