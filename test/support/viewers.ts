import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { WebSocket } from 'ws';
import { LOCAL_CREDENTIALS } from '@refarch/local-cloud';
import { localCloud } from './cloud.ts';

/** A results-page viewer: an open WebSocket connection and every frame it received, parsed. */
export interface Viewer {
  socket: WebSocket;
  frames: Array<Record<string, unknown>>;
  /** Resolves with the close code once the connection is closed (by either side). */
  closed: Promise<number>;
}

/** Opens a connection to the local results WebSocket API (ws://127.0.0.1:<port>/<stage>). */
export async function openViewer(
  url = localCloud().endpoints.websocket!,
  headers: Record<string, string> = {},
): Promise<Viewer> {
  const socket = new WebSocket(url, { headers });
  const frames: Viewer['frames'] = [];
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, frames, closed };
}

/** The management (@connections) API client, pointed where the functions' WEBSOCKET_ENDPOINT points. */
export function managementApi(): ApiGatewayManagementApiClient {
  const endpoint = localCloud().functions.sendTotals!.environment.WEBSOCKET_ENDPOINT!;
  return new ApiGatewayManagementApiClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
}
