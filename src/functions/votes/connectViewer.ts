import type { APIGatewayProxyWebsocketEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { addConnection } from '../../adapters/viewer-connections.ts';
import { connectionExpiry } from '../../domain/votes/live-results.ts';
import { envConfig, string } from '../shared/config.ts';
import { observedHandler } from '../shared/handler.ts';
import { logger } from '../shared/logger.ts';

const config = envConfig({ table: string('CONNECTIONS_TABLE') });

/**
 * `$connect` of the results WebSocket API: results are public, so every viewer is accepted and its
 * connection stored until it disconnects (or the 2-hour limit's TTL removes the row).
 */
export const handler = observedHandler(
  async (event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> => {
    const { connectionId, connectedAt } = event.requestContext as typeof event.requestContext & { connectedAt: number };
    await addConnection(config().table, connectionId, connectedAt, connectionExpiry(connectedAt));
    logger.info('viewer connected', { connectionId });
    return { statusCode: 200 };
  },
);
