import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { keepAliveHandler } from './http-handler.ts';
import { traced } from './tracing.ts';

const clients = new Map<string, ApiGatewayManagementApiClient>();

/**
 * The @connections (management) API of one WebSocket API stage, created once per endpoint. The endpoint
 * is always explicit (https://<api>.execute-api.<region>.amazonaws.com/<stage>, from the environment).
 */
function managementApi(endpoint: string): ApiGatewayManagementApiClient {
  let client = clients.get(endpoint);
  if (!client) {
    client = traced(new ApiGatewayManagementApiClient({ endpoint, requestHandler: keepAliveHandler() }));
    clients.set(endpoint, client);
  }
  return client;
}

/** Sends one frame to a connection: 'gone' when the connection no longer exists (410 GoneException). */
export async function postToConnection(endpoint: string, connectionId: string, data: string): Promise<'sent' | 'gone'> {
  try {
    await managementApi(endpoint).send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
    return 'sent';
  } catch (error) {
    if (error instanceof GoneException) return 'gone';
    throw error;
  }
}
