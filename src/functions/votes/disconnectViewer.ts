import type { APIGatewayProxyWebsocketEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { removeConnection } from '../../adapters/viewer-connections.ts';
import { envConfig, string } from '../shared/config.ts';
import { observedHandler } from '../shared/handler.ts';
import { logger } from '../shared/logger.ts';

const config = envConfig({ table: string('CONNECTIONS_TABLE') });

/** `$disconnect`: the viewer left (or the connection timed out), so nothing more is pushed to it. */
export const handler = observedHandler(
  async (event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> => {
    const { connectionId } = event.requestContext;
    await removeConnection(config().table, connectionId);
    logger.info('viewer disconnected', { connectionId });
    return { statusCode: 200 };
  },
);
