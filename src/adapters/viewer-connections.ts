import { DeleteCommand, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from './dynamodb.ts';

/** The results page's open WebSocket connections (ResultsConnections, key ConnectionId, TTL ExpiresAt). */
export async function addConnection(
  table: string,
  connectionId: string,
  connectedAtMs: number,
  expiresAt: number,
): Promise<void> {
  await dynamoDb().send(
    new PutCommand({
      TableName: table,
      Item: { ConnectionId: connectionId, ConnectedAt: connectedAtMs, ExpiresAt: expiresAt },
    }),
  );
}

export async function removeConnection(table: string, connectionId: string): Promise<void> {
  await dynamoDb().send(new DeleteCommand({ TableName: table, Key: { ConnectionId: connectionId } }));
}

/**
 * Every connection id, page by page. Rows whose TTL has passed may still be listed until DynamoDB
 * removes them: posting to them answers Gone, and they are then deleted.
 */
export async function listConnections(table: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateScan(
    { client: dynamoDb() },
    { TableName: table, ProjectionExpression: 'ConnectionId' },
  )) {
    for (const item of page.Items ?? []) ids.push(String(item.ConnectionId));
  }
  return ids;
}
